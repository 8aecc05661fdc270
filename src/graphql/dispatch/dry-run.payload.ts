import { Field, ObjectType } from 'type-graphql';
import type { HttpMethod as HttpMethodValue } from '../../domain/destination/destination.entity';
import { UserErrorType } from '../common/user-error.type';
import { HttpHeaderType } from '../destination/destination.type';
import { HttpMethod } from '../destination/destination.enums';

@ObjectType('OutboundRequest', { description: 'A request as hookgraph puts it on the wire (credentials in headers redacted).' })
export class OutboundRequestType {
  @Field(() => HttpMethod) method!: HttpMethodValue;
  @Field({ description: 'For GET, with the envelope flattened into the query string.' }) url!: string;
  @Field(() => [HttpHeaderType]) headers!: HttpHeaderType[];
  @Field(() => String, { nullable: true, description: 'Null for GET.' }) body!: string | null;
  @Field({
    description: 'What the Standard Webhooks signature covers: `webhook-id.webhook-timestamp.payload` (payload = the body, or for GET the query string).',
  })
  signatureBaseString!: string;
}

@ObjectType('WebhookDryRunPayload', { description: 'What the webhook would send for such an event; nothing was sent or stored.' })
export class WebhookDryRunPayload {
  @Field(() => OutboundRequestType, { nullable: true }) request?: OutboundRequestType;
  @Field(() => Boolean, { nullable: true, description: 'Whether publishing this event would deliver to the webhook (enabled, event types, filter).' })
  wouldDeliver?: boolean;
  @Field(() => String, { nullable: true, description: 'Why it would not, when it would not.' }) skipReason?: string | null;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
