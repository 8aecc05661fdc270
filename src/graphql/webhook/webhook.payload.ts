import { Field, ObjectType } from 'type-graphql';
import { UserErrorType } from '../common/user-error.type';
import { WebhookType } from './webhook.type';

@ObjectType('WebhookCreatePayload')
export class WebhookCreatePayload {
  @Field(() => WebhookType, { nullable: true }) webhook?: WebhookType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('WebhookUpdatePayload')
export class WebhookUpdatePayload {
  @Field(() => WebhookType, { nullable: true }) webhook?: WebhookType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('WebhookDeletePayload')
export class WebhookDeletePayload {
  @Field(() => String, { nullable: true }) deletedId?: string;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
