import { Field, ObjectType } from 'type-graphql';
import { UserErrorType } from '../common/user-error.type';
import { DeliveryAttemptType, DeliveryType } from '../delivery/delivery.type';

const SIGNATURE_BASE = 'What the Standard Webhooks signature covers: `webhook-id.webhook-timestamp.body`.';

@ObjectType('DestinationTestPayload', { description: 'The TEST delivery and its one attempt: request as sent (secrets redacted), response, timing, outcome.' })
export class DestinationTestPayload {
  @Field(() => DeliveryType, { nullable: true }) delivery?: DeliveryType;
  @Field(() => DeliveryAttemptType, { nullable: true }) attempt?: DeliveryAttemptType;
  @Field(() => String, { nullable: true, description: SIGNATURE_BASE }) signatureBaseString?: string;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('WebhookTestPayload', { description: 'The TEST delivery and its one attempt: request as sent (secrets redacted), response, timing, outcome.' })
export class WebhookTestPayload {
  @Field(() => DeliveryType, { nullable: true }) delivery?: DeliveryType;
  @Field(() => DeliveryAttemptType, { nullable: true }) attempt?: DeliveryAttemptType;
  @Field(() => String, { nullable: true, description: SIGNATURE_BASE }) signatureBaseString?: string;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
