import { escape, type SqlValue } from 'mysql2';
import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { mysqlText } from '../database/mysql-query';
import { IN_LINE } from '../domain/delivery/waiting';
import type { Statement } from './queue-transaction';

/**
 * src/sql/ holds hookgraph's hand-written SQL, one statement (or one tightly related
 * group) per file, named for what it does; the ORM does the rest. Values always travel
 * as parameters, or as literals escaped for the one connection that reads them
 * (`batchValues`).
 *
 * Where MySQL and SQLite differ, the statements ask the Dialect below, never which
 * database they are on; Database picks the dialect once, when it opens (db.dialect, and
 * tx.dialect in a queue transaction). How statements reach each database (round trips,
 * turns, pools) is the database's own part: src/database/{mysql,sqlite}.ts.
 */
export interface Dialect {
  /** A column whose name is also a keyword (`trigger`, `row_number`), quoted. */
  quote(name: string): string;
  /**
   * Appended to a SELECT whose rows the transaction goes on to change: MySQL locks them
   * until it ends. SQLite has one writer: nothing to lock.
   */
  readonly forUpdate: string;
  /** Appended to a claim's SELECT: locks the rows it reads and passes over those another claim holds. */
  readonly skipLocked: string;
  /** Appended to a SELECT whose rows must stay as read until the transaction ends, without taking them. */
  readonly forShare: string;
  /** The ORM's form of `forUpdate`, for a query builder's SELECT. */
  lockForUpdate<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T>;
  /**
   * An UPDATE gives back the rows it wrote (RETURNING): a claim is then one statement.
   * Without it (MariaDB), a claim reads and locks its rows (`skipLocked`), then updates them.
   */
  readonly returning: boolean;
  /** One write transaction at a time (SQLite): running two at once gains nothing. */
  readonly singleWriter: boolean;
  /**
   * A column whose index the planner must leave alone: SQLite's planner, without
   * statistics, would read a destination's deliveries of all time through
   * destination_id's index where the due ones are few; a unary plus keeps it off.
   * MySQL's planner has statistics.
   */
  unindexed(column: string): string;
  /** Tells the planner which index to read `FROM deliveries <alias>` through (SQLite: INDEXED BY). */
  indexedBy(index: string): string;
  /**
   * Delivery `alias` waits in the line of destination `destination` (a placeholder or a
   * column), worded for ix_deliveries_line: MySQL's is on a virtual column, SQLite's is
   * partial and its planner wants the literal due time.
   */
  inLine(alias: string, destination: string): string;
  /**
   * A query builder's condition on deliveries `d` whose statuses (parameter `status`)
   * are all FAILED or CANCELLED, worded for ix_deliveries_stopped: MySQL's is on a
   * virtual column, SQLite's is partial and its planner wants its condition word for word.
   */
  readonly stopped: string;
  /**
   * INSERTs of rows of one table that are written together, values in the columns'
   * order. MySQL: one multi-row statement (a statement costs the server and the round
   * trip more than a row). SQLite: one single-row statement per row, the same text
   * every time (prepared once, and no round trips to save).
   */
  insertRows(table: string, columns: readonly string[], rows: unknown[][]): Statement[];
  /**
   * The VALUES of a multi-row INSERT that travels with other statements in one round
   * trip; `row` is one row's placeholders, `texts` marks the long texts. MySQL writes the
   * values out whole (the long texts by mysqlText, the rest by the driver's escape): the
   * server parses each text once, with no function to call on it. SQLite binds them.
   */
  batchValues(rows: SqlValue[][], row: string, texts: readonly boolean[]): Statement;
  /**
   * INSERTs that add to a stored row instead of failing on its key (`keys`, the primary
   * key): each column of `sums` becomes the stored value plus the new one. MySQL: one
   * multi-row statement; SQLite: one statement per row, the same text every time.
   */
  insertAdding(table: string, columns: readonly string[], keys: readonly string[], sums: readonly string[], rows: unknown[][]): Statement[];
}

export const MYSQL_DIALECT: Dialect = {
  quote: (name) => `\`${name}\``,
  forUpdate: ' FOR UPDATE',
  skipLocked: ' FOR UPDATE SKIP LOCKED',
  forShare: ' LOCK IN SHARE MODE',
  lockForUpdate: (query) => query.setLock('pessimistic_write'),
  returning: false,
  singleWriter: false,
  unindexed: (column) => column,
  indexedBy: () => '',
  inLine: (alias, destination) => `${alias}.line_destination = ${destination}`,
  stopped: 'd.stopped_status IN (:...status)',
  insertRows: (table, columns, rows) => [{ sql: insertText(table, columns, rows.length, '`'), params: rows.flat() }],
  batchValues: (rows, _row, texts) => ({
    sql: rows.map((values) => `(${values.map((v, i) => (texts[i] ? mysqlText(v as string | null) : escape(v))).join(', ')})`).join(', '),
  }),
  insertAdding: (table, columns, _keys, sums, rows) => [
    {
      sql: `${insertText(table, columns, rows.length, '`')} ON DUPLICATE KEY UPDATE ${sums.map((c) => `\`${c}\` = \`${c}\` + VALUES(\`${c}\`)`).join(', ')}`,
      params: rows.flat(),
    },
  ],
};

export const SQLITE_DIALECT: Dialect = {
  quote: (name) => `"${name}"`,
  forUpdate: '',
  skipLocked: '',
  forShare: '',
  lockForUpdate: (query) => query,
  returning: true,
  singleWriter: true,
  unindexed: (column) => `+${column}`,
  indexedBy: (index) => ` INDEXED BY ${index}`,
  inLine: (alias, destination) => `${alias}.destination_id = ${destination} AND ${alias}.due_at = ${IN_LINE}`,
  stopped: `d.status IN ('FAILED', 'CANCELLED')`,
  insertRows: (table, columns, rows) => {
    const sql = insertText(table, columns, 1, '"');
    return rows.map((params) => ({ sql, params }));
  },
  batchValues: (rows, row) => ({ sql: rows.map(() => row).join(', '), params: rows.flat() }),
  insertAdding: (table, columns, keys, sums, rows) => {
    const conflict = `ON CONFLICT (${keys.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${sums.map((c) => `"${c}" = "${c}" + excluded."${c}"`).join(', ')}`;
    const sql = `${insertText(table, columns, 1, '"')} ${conflict}`;
    return rows.map((params) => ({ sql, params }));
  },
};

const insertTexts = new Map<string, string>();

/** `INSERT … VALUES (?…), (?…)` for `rows` rows, every column quoted; the texts of recent shapes are kept. */
function insertText(table: string, columns: readonly string[], rows: number, quote: string): string {
  // Columns in the key: two writers of one table may name different columns.
  const key = `${table}${quote}${rows}${quote}${columns.join()}`;
  let sql = insertTexts.get(key);
  if (sql === undefined) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${table} (${columns.map((c) => `${quote}${c}${quote}`).join(', ')}) VALUES ${new Array(rows).fill(row).join(', ')}`;
    if (insertTexts.size > 256) insertTexts.clear();
    insertTexts.set(key, sql);
  }
  return sql;
}
