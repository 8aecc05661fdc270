import type { PoolConnection } from 'mysql2';
import type { Dialect } from '../sql/dialect';
import type { QueueTx, Statement, StatementResult } from '../sql/queue-transaction';
import { mysqlStatements } from './mysql-query';

/**
 * A queue transaction on a connection of the batch pool (autocommit off: the first
 * statement opens the transaction): each `send` is one round trip, COMMIT travelling
 * with the last statements where the caller says so.
 */
export class MysqlQueueTx implements QueueTx {
  /** Statements were sent: a transaction may be open (on failure, roll back). */
  started = false;
  /** Statements were sent since the last COMMIT (a read after a commit opens a transaction too). */
  open = false;

  constructor(
    private readonly connection: PoolConnection,
    readonly dialect: Dialect,
  ) {}

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
