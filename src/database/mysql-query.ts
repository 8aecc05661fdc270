import type { Connection, Pool, PoolConnection } from 'mysql2';
import type { Statement } from '../sql/queue-transaction';

/**
 * One statement on a mysql2 pool (autocommit) or connection, without the ORM: the
 * hot paths (publishing, the dispatcher's queue) use it. Rows for a SELECT, the result
 * header (affectedRows…) for a write.
 */
export function mysqlQuery<T>(on: Pool | Connection, sql: string, params?: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => on.query(sql, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/**
 * Several statements in one round trip, on a connection of the batch pool (the only one
 * that accepts them); the result of each, in order. The server stops at a failing one.
 * Each statement's values go into its own text: one written out whole (with mysqlText)
 * is not read again in search of placeholders.
 */
export async function mysqlStatements(connection: PoolConnection, statements: Statement[]): Promise<unknown[]> {
  const sql = statements.map((s) => (s.params?.length ? connection.format(s.sql, s.params) : s.sql)).join(';\n');
  const raw = await mysqlQuery<unknown>(connection, sql);
  return statements.length === 1 ? [raw] : (raw as unknown[]);
}

const TEXT_SPECIALS = /[\0'\\]/g;

/**
 * A text as a MySQL string literal, for statements of the batch pool written out whole
 * (the attempts' long texts, some of them the far end's). Inside single quotes, on a
 * utf8mb4 connection without NO_BACKSLASH_ESCAPES (the batch pool makes sure), only the
 * quote and the backslash need escaping (NUL too, as drivers do, though the server reads
 * it raw as well). The driver's escaper also escapes every double quote, a string of its
 * own per quote of a JSON text; base64 (FROM_BASE64) costs the server a function call per
 * value.
 */
export function mysqlText(value: string | null): string {
  if (value == null) return 'NULL';
  if (value.indexOf("'") === -1 && value.indexOf('\\') === -1 && value.indexOf('\0') === -1) return `'${value}'`;
  return `'${value.replace(TEXT_SPECIALS, (c) => (c === '\0' ? '\\0' : `\\${c}`))}'`;
}

/** A connection of `pool`, to be given back with `release()` (or `rollBackAndRelease`). */
export function mysqlConnection(pool: Pool): Promise<PoolConnection> {
  return new Promise((resolve, reject) => pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))));
}

/** After a failure inside a transaction; a connection that cannot even roll back is not given back to the pool. */
export async function rollBackAndRelease(connection: PoolConnection): Promise<void> {
  await mysqlQuery(connection, 'ROLLBACK').then(
    () => connection.release(),
    () => connection.destroy(),
  );
}
