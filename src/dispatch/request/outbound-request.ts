import type { DestinationEntity, Header, HttpMethod } from '../../domain/destination/destination.entity';
import type { EventEntity } from '../../domain/event/event.entity';
import type { WebhookEntity } from '../../domain/webhook/webhook.entity';

/**
 * The contract between the wire format (what a request looks like to its receiver) and
 * the engine that sends it. Built by `buildRequest` in build-request.ts, sent by
 * the dispatcher's HTTP client, shown as-is by test sends and dry runs.
 */
export interface OutboundRequest {
  method: HttpMethod;
  /** For GET, the envelope is already flattened into the query string. */
  url: string;
  /** Everything that goes on the wire, secrets included: redact before storing. */
  headers: Header[];
  /** Null for GET. */
  body: string | null;
  /** How the body is rebuilt when its attempt is read, or null when the attempt stores it (body-recipe.ts). */
  bodyRecipe: string | null;
  /** What the Standard Webhooks signature covers: `${webhook-id}.${webhook-timestamp}.${body}`. */
  signatureBaseString: string;
}

export interface DeliveryRequestInput {
  event: EventEntity;
  webhook: WebhookEntity;
  destination: DestinationEntity;
  deliveryId: string;
  /** 1-based number of this attempt (X-Hookgraph-Attempt, meta.attempt). */
  attempt: number;
  /** The signing time (webhook-timestamp). */
  now: Date;
  /** Sent as the `traceparent` header when set (the attempt's span). */
  traceparent?: string | null;
}
