import type { DeliveryAttemptEntity } from '../../domain/delivery/delivery-attempt.entity';
import type { Statement } from './queue-transaction';

const COLUMNS = [
  'id', 'delivery_id', 'attempt_number', 'request_method', 'request_url', 'request_headers', 'request_body',
  'response_status_code', 'response_headers', 'response_body', 'response_truncated', 'duration_ms', 'outcome', 'error', 'created_at',
];
const ROW = `(${COLUMNS.map(() => '?').join(', ')})`;

/** Attempts as one multi-row INSERT. Every attempt that happened is recorded, owned or not. */
export function insertAttemptsStatement(attempts: DeliveryAttemptEntity[]): Statement {
  const params: unknown[] = [];
  for (const a of attempts) {
    params.push(
      a.id, a.deliveryId, a.attemptNumber, a.requestMethod, a.requestUrl, JSON.stringify(a.requestHeaders), a.requestBody,
      a.responseStatusCode, a.responseHeaders == null ? null : JSON.stringify(a.responseHeaders), a.responseBody,
      a.responseTruncated ? 1 : 0, a.durationMs, a.outcome, a.error, a.createdAt.getTime(),
    );
  }
  return { sql: `INSERT INTO delivery_attempts (${COLUMNS.join(', ')}) VALUES ${attempts.map(() => ROW).join(', ')}`, params, prepare: true };
}
