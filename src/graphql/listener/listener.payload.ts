import { Field, ObjectType } from 'type-graphql';
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
