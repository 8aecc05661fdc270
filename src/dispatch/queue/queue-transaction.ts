import type { PoolConnection } from 'mysql2';
import type { EntityManager } from 'typeorm';
import { mysqlQuery, type Database } from '../../database';

/** What queue statements run on: raw SQL inside one transaction. */
export interface QueueTx {
  /** A statement's rows (SELECT, or SQLite's RETURNING). */
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A write; resolves to the number of rows it matched. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

/**
 * The transaction queue statements run in. MySQL: straight on a pooled mysql2
 * connection (READ COMMITTED, see Database), so a statement costs its round trip and
 * nothing of the ORM. SQLite has one writer; its transactions are queued by Database.
 */
export function queueTransaction<T>(db: Database, work: (tx: QueueTx) => Promise<T>): Promise<T> {
  if (db.kind === 'sqlite') return db.transaction((manager) => work(managerTx(manager)));
  return db.mysqlTransaction((connection) => work(connectionTx(connection)));
}

function connectionTx(connection: PoolConnection): QueueTx {
  return {
    rows: <T>(sql: string, params?: unknown[]) => mysqlQuery<T[]>(connection, sql, params),
    run: async (sql, params) => (await mysqlQuery<{ affectedRows: number }>(connection, sql, params)).affectedRows,
  };
}

function managerTx(manager: EntityManager): QueueTx {
  return {
    rows: (sql, params) => manager.query(sql, params),
    run: async (sql, params) => (await manager.queryRunner!.query(sql, params, true)).affected ?? 0,
  };
}
