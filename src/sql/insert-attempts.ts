import { escape, type SqlValue } from 'mysql2';
import { mysqlText } from '../database/mysql';
import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import type { QueueTx, Statement } from './queue-transaction';

const COLUMNS = [
  'id',
  'delivery_id',
  'attempt_number',
  'request_method',
  'request_url',
  'request_headers',
  'request_body',
  'response_status_code',
  'response_headers',
  'response_body',
  'response_truncated',
  'duration_ms',
  'outcome',
  'error',
  'created_at',
];
const INSERT = `INSERT INTO delivery_attempts (${COLUMNS.join(', ')}) VALUES `;
const SQLITE_ROW = `(${COLUMNS.map(() => '?').join(', ')})`;
/** The long texts, some of them written by the far end; on MySQL, literals by mysqlText. */
const TEXTS = new Set(['request_url', 'request_headers', 'request_body', 'response_headers', 'response_body']);
const IS_TEXT = COLUMNS.map((c) => TEXTS.has(c));

/**
 * Attempts as one multi-row INSERT. Every attempt that happened is recorded, owned or not.
 *
 * On MySQL the statement is written out whole: the long texts as literals escaped by
 * mysqlText, the rest by the driver. A batch keeps to the one round trip that also
 * carries the deliveries' new states and the COMMIT, and the server parses each text
 * once, with no function to call on it.
 */
export function insertAttemptsStatement(kind: 'sqlite' | 'mysql', attempts: DeliveryAttemptEntity[]): Statement {
  if (kind === 'mysql') return { sql: INSERT + attempts.map(mysqlRow).join(', ') };
  return { sql: INSERT + attempts.map(() => SQLITE_ROW).join(', '), params: attempts.flatMap(values) };
}

/** An attempt's values, in COLUMNS' order. */
function values(a: DeliveryAttemptEntity): SqlValue[] {
  return [
    a.id,
    a.deliveryId,
    a.attemptNumber,
    a.requestMethod,
    a.requestUrl,
    JSON.stringify(a.requestHeaders),
    a.requestBody,
    a.responseStatusCode,
    a.responseHeaders == null ? null : JSON.stringify(a.responseHeaders),
    a.responseBody,
    a.responseTruncated ? 1 : 0,
    a.durationMs,
    a.outcome,
    a.error,
    a.createdAt.getTime(),
  ];
}

function mysqlRow(a: DeliveryAttemptEntity): string {
  return `(${values(a)
    .map((v, i) => (IS_TEXT[i] ? mysqlText(v as string | null) : escape(v)))
    .join(', ')})`;
}

/** Whether the attempt with this id is stored: a batch that wrote it has committed (attempts are never updated). */
export async function attemptStored(tx: QueueTx, id: string): Promise<boolean> {
  return (await tx.rows<{ id: string }>('SELECT id FROM delivery_attempts WHERE id = ?', [id])).length > 0;
}
