import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolConnection } from 'mysql2';
import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { MysqlConnections, mysqlDataSource, type Statement } from './mysql';
import { SqliteConnection, sqliteDataSource } from './sqlite';

export function createDataSource(config: DatabaseConfig): DataSource {
  return config.kind === 'mysql' ? mysqlDataSource(config.url) : sqliteDataSource(config.path);
}

/**
 * The data source plus what each database needs from us: the MySQL part (mysql.ts: its
 * pools and round trips) or the SQLite part (sqlite.ts: its one connection's turns).
 */
export class Database {
  readonly kind: DatabaseConfig['kind'];

  private constructor(
    readonly dataSource: DataSource,
    private readonly part: MysqlConnections | SqliteConnection,
  ) {
    this.kind = part instanceof MysqlConnections ? 'mysql' : 'sqlite';
  }

  static async open(config: DatabaseConfig): Promise<Database> {
    const dataSource = createDataSource(config);
    await dataSource.initialize();
    const part = config.kind === 'mysql' ? await MysqlConnections.open(dataSource, config.url) : SqliteConnection.open(dataSource, config.path);
    return new Database(dataSource, part);
  }

  /** The MySQL part (for tools and tests that look beneath); on SQLite it throws. */
  get mysql(): MysqlConnections {
    if (!(this.part instanceof MysqlConnections)) throw new Error('the MySQL connections were asked for on an SQLite database');
    return this.part;
  }

  /** The SQLite part (for tools and tests that look beneath); on MySQL it throws. */
  get sqlite(): SqliteConnection {
    if (!(this.part instanceof SqliteConnection)) throw new Error('the SQLite connection was asked for on a MySQL database');
    return this.part;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async migrate(): Promise<string[]> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  }

  async pendingMigrations(): Promise<boolean> {
    return this.dataSource.showMigrations();
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.part.transaction(work);
  }

  mysqlPool(): Pool {
    return this.mysql.pool();
  }

  sqliteExclusive<T>(work: (raw: BetterSqlite3.Database) => T): Promise<T> {
    return this.sqlite.exclusive(work);
  }

  sqliteTransaction<T>(work: (raw: BetterSqlite3.Database) => Promise<T>): Promise<T> {
    return this.sqlite.rawTransaction(work);
  }

  mysqlBatchPool(): Pool {
    return this.mysql.batchPool();
  }

  batchConnection(): Promise<PoolConnection> {
    return this.mysql.batchConnection();
  }

  mysqlAtomic(statements: Statement[]): Promise<unknown[]> {
    return this.mysql.atomic(statements);
  }

  assertSkipLockedLocks(): Promise<void> {
    return this.mysql.assertSkipLockedLocks();
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.part.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
