import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import type { DestinationEntity } from '../domain/destination/destination.entity';
import type { EventEntity } from '../domain/event/event.entity';
import type { SecretBox } from '../domain/secrets/secret-box';
import type { WebhookEntity } from '../domain/webhook/webhook.entity';
import { toAttemptRecord } from './attempt-record';
import { coerceError } from './errors';
import type { HttpClient, HttpExchange } from './http-client';
import { classifyExchange, type Outcome } from './outcome';
import { buildRequest } from './request/build-request';
import type { OutboundRequest } from './request/outbound-request';
import { assertSendableHeaders } from './request/sendable-headers';

export interface AttemptInput {
  event: EventEntity;
  webhook: WebhookEntity;
  destination: DestinationEntity;
  deliveryId: string;
  attemptNumber: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The W3C traceparent of this attempt's span, sent in the `traceparent` header. */
  traceparent?: string | null;
}

export type AttemptResult =
  | { kind: 'SENT'; request: OutboundRequest; exchange: HttpExchange; outcome: Outcome; attempt: DeliveryAttemptEntity }
  /** The request could not be built (a secret that no longer opens, a header value HTTP cannot carry): nothing went on the wire. */
  | { kind: 'UNBUILDABLE'; error: Error };

/** Build, send, classify, record: one attempt, shared by the dispatcher and test sends. */
export async function runAttempt(http: HttpClient, box: SecretBox, input: AttemptInput): Promise<AttemptResult> {
  let request: OutboundRequest;
  try {
    request = buildRequest(
      {
        event: input.event,
        webhook: input.webhook,
        destination: input.destination,
        deliveryId: input.deliveryId,
        attempt: input.attemptNumber,
        now: new Date(),
        traceparent: input.traceparent ?? null,
      },
      box,
    );
    assertSendableHeaders(request.headers);
  } catch (error) {
    return { kind: 'UNBUILDABLE', error: coerceError(error) };
  }
  const exchange = await http.send(request, input.timeoutMs, input.signal);
  const at = new Date();
  const outcome = classifyExchange(exchange, input.destination.retryPolicy, at);
  const attempt = toAttemptRecord({ deliveryId: input.deliveryId, attemptNumber: input.attemptNumber, request, exchange, outcome, at });
  return { kind: 'SENT', request, exchange, outcome, attempt };
}
