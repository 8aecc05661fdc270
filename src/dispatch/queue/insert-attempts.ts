import type { DeliveryAttemptEntity } from '../../domain/delivery/delivery-attempt.entity';
import type { Statement } from './queue-transaction';

const COLUMNS = [
  'id', 'delivery_id', 'attempt_number', 'request_method', 'request_url', 'request_headers', 'request_body',
  'response_status_code', 'response_headers', 'response_body', 'response_truncated', 'duration_ms', 'outcome', 'error', 'created_at',
];
/**
 * The long texts of an attempt, some of them written by the far end (its headers and
 * body). On MySQL they travel base64-encoded inside the statement's text and the server
 * decodes them (FROM_BASE64): nothing in them to escape on our side or to unescape on
 * the server's, and the batch keeps to the one round trip that also carries the
 * deliveries' new states and the COMMIT. Escaped as text instead, each JSON quote cost
 * the driver a string of its own; as a prepared statement, the batch took a round trip more.
 */
const ENCODED = new Set(['request_url', 'request_headers', 'request_body', 'response_headers', 'response_body']);
const ROW = {
  sqlite: `(${COLUMNS.map(() => '?').join(', ')})`,
  mysql: `(${COLUMNS.map((c) => (ENCODED.has(c) ? 'FROM_BASE64(?)' : '?')).join(', ')})`,
};

/** Attempts as one multi-row INSERT. Every attempt that happened is recorded, owned or not. */
export function insertAttemptsStatement(kind: 'sqlite' | 'mysql', attempts: DeliveryAttemptEntity[]): Statement {
  const text = kind === 'mysql' ? base64 : (value: string | null) => value;
  const params: unknown[] = [];
  for (const a of attempts) {
    params.push(
      a.id, a.deliveryId, a.attemptNumber, a.requestMethod, text(a.requestUrl), text(JSON.stringify(a.requestHeaders)), text(a.requestBody),
      a.responseStatusCode, text(a.responseHeaders == null ? null : JSON.stringify(a.responseHeaders)), text(a.responseBody),
      a.responseTruncated ? 1 : 0, a.durationMs, a.outcome, a.error, a.createdAt.getTime(),
    );
  }
  return { sql: `INSERT INTO delivery_attempts (${COLUMNS.join(', ')}) VALUES ${attempts.map(() => ROW[kind]).join(', ')}`, params };
}

/** UTF-8, as the connection would have sent the text itself; null stays NULL. */
function base64(value: string | null): string | null {
  return value == null ? null : Buffer.from(value, 'utf8').toString('base64');
}
