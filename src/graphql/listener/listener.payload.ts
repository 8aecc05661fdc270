import { Field, Int, ObjectType } from 'type-graphql';
import { JSON } from '../common/scalars';
import { UserErrorType } from '../common/user-error.type';
import { ListenerType } from './listener.type';

@ObjectType('ListenerCreatePayload')
export class ListenerCreatePayload {
  @Field(() => ListenerType, { nullable: true }) listener?: ListenerType;
  @Field(() => String, { nullable: true, description: 'Shown once: the password, HMAC key, token, or (SECRET_URL) the URL token.' })
  secret?: string | null;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('ListenerUpdatePayload')
export class ListenerUpdatePayload {
  @Field(() => ListenerType, { nullable: true }) listener?: ListenerType;
  @Field(() => String, { nullable: true, description: 'Shown once when the update set or generated a new secret.' }) secret?: string | null;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('ListenerDeletePayload')
export class ListenerDeletePayload {
  @Field(() => String, { nullable: true }) deletedId?: string;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('ListenerCaptureStartPayload')
export class ListenerCaptureStartPayload {
  @Field(() => ListenerType, { nullable: true }) listener?: ListenerType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('ListenerMockEvent')
export class ListenerMockEventType {
  @Field() type!: string;
  @Field(() => JSON, { nullable: true }) data!: unknown;
}

@ObjectType('ListenerMockRunPayload', { description: 'What the request would do; nothing was stored, published or answered.' })
export class ListenerMockRunPayload {
  @Field(() => Int, { nullable: true, description: 'The status the listener would answer.' }) status?: number;
  @Field(() => Boolean, { nullable: true }) verified?: boolean;
  @Field(() => String, { nullable: true, description: 'Why it would be refused.' }) message?: string | null;
  @Field(() => [ListenerMockEventType], { nullable: true, description: 'The events it would make.' }) events?: ListenerMockEventType[];
  @Field(() => String, { nullable: true, description: 'The dedupe key it carries: a repeat within 24 h would make no event.' }) dedupeKey?: string | null;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
