import type { PoolConnection } from 'mysql2';
import type { EntityManager } from 'typeorm';
import { mysqlConnection, mysqlQuery, mysqlStatements, rollBackAndRelease, type Database, type Statement } from '../../database';

export type { Statement };

/** A statement's outcome: its rows (SELECT, or SQLite's RETURNING), or the number of rows a write matched. */
export type StatementResult = unknown[] | number;

/** What queue statements run on: raw SQL inside one transaction. */
export interface QueueTx {
  /**
   * Runs statements in order, in one round trip where the database allows it (MySQL);
   * with `commit`, the transaction ends with them. A failing statement stops the rest
   * and fails the transaction.
   */
  send(statements: Statement[], options?: { commit?: boolean }): Promise<StatementResult[]>;
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

/**
 * The transaction queue statements run in. MySQL: on the queue's own connections
 * (Database.mysqlBatchPool, READ COMMITTED), START TRANSACTION travelling with the first
 * statements and COMMIT with the last where the caller says so, no ORM in between.
 * SQLite has one writer; its transactions are queued by Database.
 */
export function queueTransaction<T>(db: Database, work: (tx: QueueTx) => Promise<T>): Promise<T> {
  return db.kind === 'sqlite' ? db.transaction((manager) => work(managerTx(manager))) : mysqlQueueTransaction(db, work);
}

async function mysqlQueueTransaction<T>(db: Database, work: (tx: QueueTx) => Promise<T>): Promise<T> {
  const connection = await mysqlConnection(db.mysqlBatchPool());
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
  started = false;
  private committed = false;

  constructor(private readonly connection: PoolConnection) {}

  get open(): boolean {
    return this.started && !this.committed;
  }

  async send(statements: Statement[], options: { commit?: boolean } = {}): Promise<StatementResult[]> {
    const begin: Statement[] = this.started ? [] : [{ sql: 'START TRANSACTION' }];
    const all: Statement[] = [...begin, ...statements, ...(options.commit ? [{ sql: 'COMMIT' }] : [])];
    this.started = true;
    const results = await mysqlStatements(this.connection, all);
    if (options.commit) this.committed = true;
    return results.slice(begin.length, begin.length + statements.length).map(toResult);
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

function managerTx(manager: EntityManager): QueueTx {
  const send = async (statements: Statement[]): Promise<StatementResult[]> => {
    const results: StatementResult[] = [];
    for (const { sql, params } of statements) {
      // Structured: a reading statement gives its records, a write the rows it changed.
      const result = await manager.queryRunner!.query(sql, params, true);
      results.push(result.affected ?? result.records);
    }
    return results;
  };
  return {
    send,
    rows: async <T>(sql: string, params?: unknown[]) => (await send([{ sql, params }]))[0] as T[],
    run: async (sql, params) => (await send([{ sql, params }]))[0] as number,
  };
}
