import type BetterSqlite3 from 'better-sqlite3';
import type { PoolConnection } from 'mysql2';
import type { Database } from '../database/database';
import { mysqlQuery, mysqlStatements, rollBackAndRelease, type Statement } from '../database/mysql';

export type { Statement };

/** A statement's outcome: its rows (SELECT, or SQLite's RETURNING), or the number of rows a write matched. */
export type StatementResult = unknown[] | number;

/** What queue statements run on: raw SQL inside one transaction. */
export interface QueueTx {
  /**
   * Runs statements in order, in one round trip where the database allows it (MySQL);
   * with `commit`, the transaction ends with them. A failing statement stops the rest and
   * fails the transaction.
   */
  send(statements: Statement[], options?: { commit?: boolean }): Promise<StatementResult[]>;
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

/**
 * The transaction queue statements run in, with no ORM in between. MySQL: on the queue's
 * own connections (Database.mysqlBatchPool, READ COMMITTED, autocommit off: the first
 * statement opens the transaction), COMMIT travelling with the last statements where the
 * caller says so, else sent at the end. SQLite has one writer: its transactions are
 * queued by Database, on the raw connection.
 */
export function queueTransaction<T>(db: Database, work: (tx: QueueTx) => Promise<T>): Promise<T> {
  return db.kind === 'sqlite' ? db.sqliteTransaction((raw) => work(sqliteTx(raw))) : mysqlQueueTransaction(db, work);
}

async function mysqlQueueTransaction<T>(db: Database, work: (tx: QueueTx) => Promise<T>): Promise<T> {
  const connection = await db.batchConnection();
  const tx = new MysqlQueueTx(connection);
  try {
    const result = await work(tx);
    if (tx.open) await mysqlQuery(connection, 'COMMIT');
    connection.release();
    return result;
  } catch (error) {
    if (tx.started) await rollBackAndRelease(connection);
    else connection.release();
    throw error;
  }
}

class MysqlQueueTx implements QueueTx {
  /** Statements were sent: a transaction may be open (on failure, roll back). */
  started = false;
  /** Statements were sent since the last COMMIT (a read after a commit opens a transaction too). */
  open = false;

  constructor(private readonly connection: PoolConnection) {}

  async send(statements: Statement[], options: { commit?: boolean } = {}): Promise<StatementResult[]> {
    this.started = true;
    this.open = true;
    const results = await mysqlStatements(this.connection, options.commit ? [...statements, { sql: 'COMMIT' }] : statements);
    if (options.commit) this.open = false;
    return results.slice(0, statements.length).map(toResult);
  }

  async rows<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.send([{ sql, params }]))[0] as T[];
  }

  async run(sql: string, params?: unknown[]): Promise<number> {
    return (await this.send([{ sql, params }]))[0] as number;
  }
}

function toResult(raw: unknown): StatementResult {
  return Array.isArray(raw) ? raw : (raw as { affectedRows: number }).affectedRows;
}

/** Prepared statements of the queue, per connection, by SQL text; the oldest go first past MAX_PREPARED. */
const prepared = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();
const MAX_PREPARED = 200;

function sqliteTx(raw: BetterSqlite3.Database): QueueTx {
  let statements = prepared.get(raw);
  if (!statements) prepared.set(raw, (statements = new Map()));
  const cache = statements;
  const statement = (sql: string): BetterSqlite3.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = raw.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > MAX_PREPARED) cache.delete(cache.keys().next().value!);
    }
    return stmt;
  };
  const send = async (list: Statement[]): Promise<StatementResult[]> =>
    list.map(({ sql, params = [] }) => {
      const stmt = statement(sql);
      // A reading statement (SELECT, or a write with RETURNING) gives its rows, a write the rows it changed.
      return stmt.reader ? (stmt.all(...params) as unknown[]) : stmt.run(...params).changes;
    });
  return {
    send,
    rows: async <T>(sql: string, params?: unknown[]) => (await send([{ sql, params }]))[0] as T[],
    run: async (sql, params) => (await send([{ sql, params }]))[0] as number,
  };
}
