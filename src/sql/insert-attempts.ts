import type { SqlValue } from 'mysql2';
import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import { encodeHeaderLines } from '../domain/delivery/header-lines';
import type { Dialect } from './dialect';
import type { QueueTx, Statement } from './queue-transaction';

const COLUMNS = [
  'id',
  'delivery_id',
  'attempt_number',
  'request_method',
  'request_url',
  'request_headers',
  'request_body',
  'request_body_recipe',
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
const ROW = `(${COLUMNS.map(() => '?').join(', ')})`;
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
export function insertAttemptsStatement(dialect: Dialect, attempts: DeliveryAttemptEntity[]): Statement {
  const { sql, params } = dialect.batchValues(attempts.map(values), ROW, IS_TEXT);
  return { sql: INSERT + sql, params };
}

/** An attempt's values, in COLUMNS' order. */
function values(a: DeliveryAttemptEntity): SqlValue[] {
  return [
    a.id,
    a.deliveryId,
    a.attemptNumber,
    a.requestMethod,
    a.requestUrl,
    encodeHeaderLines(a.requestHeaders),
    // A body with a recipe is rebuilt from its event when read (body-recipe.ts).
    a.requestBodyRecipe === null ? a.requestBody : null,
    a.requestBodyRecipe,
    a.responseStatusCode,
    a.responseHeaders == null ? null : encodeHeaderLines(a.responseHeaders),
    a.responseBody,
    a.responseTruncated ? 1 : 0,
    a.durationMs,
    a.outcome,
    a.error,
    a.createdAt.getTime(),
  ];
}

/** Whether the attempt with this id is stored: a batch that wrote it has committed (attempts are never updated). */
export async function attemptStored(tx: QueueTx, id: string): Promise<boolean> {
  return (await tx.rows<{ id: string }>('SELECT id FROM delivery_attempts WHERE id = ?', [id])).length > 0;
}
