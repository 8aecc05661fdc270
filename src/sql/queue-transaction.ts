import type { Dialect } from './dialect';

/** One SQL statement with its `?` values. */
export interface Statement {
  sql: string;
  params?: unknown[];
}

/** A statement's outcome: its rows (SELECT, or SQLite's RETURNING), or the number of rows a write matched. */
export type StatementResult = unknown[] | number;

/**
 * What queue statements run on: raw SQL inside one transaction, with no ORM in between
 * (Database.queueTransaction opens it).
 */
export interface QueueTx {
  /** The database's differences, for the statements to ask. */
  readonly dialect: Dialect;
  /**
   * Runs statements in order, in one round trip where the database allows it (MySQL);
   * with `commit`, the transaction ends with them. A failing statement stops the rest and
   * fails the transaction.
   */
  send(statements: Statement[], options?: { commit?: boolean }): Promise<StatementResult[]>;
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
}
