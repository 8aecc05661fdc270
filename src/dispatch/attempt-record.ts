import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import { newId } from '../domain/common/ids';
import type { HttpExchange } from './http-client';
import type { Outcome } from './outcome';
import type { OutboundRequest } from './request/outbound-request';
import { redactHeaders } from './request/redact';

export interface AttemptRecordInput {
  deliveryId: string;
  attemptNumber: number;
  request: OutboundRequest;
  exchange: HttpExchange;
  outcome: Outcome;
  at: Date;
}

/** The stored form of one exchange: request headers redacted, response as far as it was read. */
export function toAttemptRecord({ deliveryId, attemptNumber, request, exchange, outcome, at }: AttemptRecordInput): DeliveryAttemptEntity {
  const response = exchange.kind === 'RESPONSE' ? exchange.response : exchange.partial;
  return {
    id: newId('attempt'),
    deliveryId,
    attemptNumber,
    requestMethod: request.method,
    requestUrl: request.url,
    requestHeaders: redactHeaders(request.headers),
    requestBody: request.body,
    requestBodyRecipe: request.bodyRecipe,
    responseStatusCode: response?.statusCode ?? null,
    responseHeaders: response?.headers ?? null,
    responseBody: response ? response.body : null,
    responseTruncated: response?.truncated ?? false,
    durationMs: exchange.durationMs,
    outcome: outcome.attemptOutcome,
    error: outcome.kind === 'SUCCESS' ? null : outcome.error.slice(0, 1000),
    createdAt: at,
  };
}
