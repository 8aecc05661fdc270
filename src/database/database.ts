import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { MYSQL_DIALECT, SQLITE_DIALECT, type Dialect } from '../sql/dialect';
import type { QueueTx, Statement } from '../sql/queue-transaction';
import { MysqlConnections, mysqlDataSource } from './mysql';
import { SqliteConnection, sqliteDataSource } from './sqlite';

export function createDataSource(config: DatabaseConfig): DataSource {
  return config.kind === 'mysql' ? mysqlDataSource(config.url) : sqliteDataSource(config.path);
}

/** What each database's part (mysql.ts, sqlite.ts) does for Database. */
export interface DatabasePart {
  /** The database is a file of this process's own (SQLite), not a server that others share. */
  readonly embedded: boolean;
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  queueTransaction<T>(work: (tx: QueueTx) => Promise<T>): Promise<T>;
  read<T>(statement: Statement): Promise<T[]>;
  write(statements: Statement[]): Promise<void>;
  assertExclusiveClaims(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The data source, the dialect its statements speak (sql/dialect.ts), and the part that
 * runs them on this database: MySQL's pools and round trips, or SQLite's one connection
 * and its turns. Chosen once, here; nothing else asks which database it is on.
 */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    readonly dialect: Dialect,
    private readonly part: MysqlConnections | SqliteConnection,
  ) {}

  static async open(config: DatabaseConfig): Promise<Database> {
    const dataSource = createDataSource(config);
    await dataSource.initialize().catch((error: unknown) => {
      throw config.kind === 'mysql' ? explainMysqlOpenError(error, config.url) : error;
    });
    if (config.kind === 'mysql') return new Database(dataSource, MYSQL_DIALECT, await MysqlConnections.open(dataSource, config.url, MYSQL_DIALECT));
    return new Database(dataSource, SQLITE_DIALECT, SqliteConnection.open(dataSource, config.path, SQLITE_DIALECT));
  }

  /** The MySQL part, for tools and tests that look beneath; on SQLite it throws. */
  get mysql(): MysqlConnections {
    if (!(this.part instanceof MysqlConnections)) throw new Error('the MySQL connections were asked for on an SQLite database');
    return this.part;
  }

  /** The SQLite part, for tools and tests that look beneath; on MySQL it throws. */
  get sqlite(): SqliteConnection {
    if (!(this.part instanceof SqliteConnection)) throw new Error('the SQLite connection was asked for on a MySQL database');
    return this.part;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** A file of this process's own (SQLite): it applies pending migrations when it starts; a shared server waits for `hookgraph migrate`. */
  get embedded(): boolean {
    return this.part.embedded;
  }

  async migrate(): Promise<string[]> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  }

  async pendingMigrations(): Promise<boolean> {
    return this.dataSource.showMigrations();
  }

  /** A transaction through the ORM (on SQLite, in its turn: one writer). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.part.transaction(work);
  }

  /**
   * The transaction queue statements run in (sql/queue-transaction.ts), with no ORM in
   * between: the dispatcher's claims and completion batches, expiry, pruning. MySQL: on
   * the batch pool's connections, several statements per round trip. SQLite: on the raw
   * connection, in its turn.
   */
  queueTransaction<T>(work: (tx: QueueTx) => Promise<T>): Promise<T> {
    return this.part.queueTransaction(work);
  }

  /** One reading statement outside any transaction, without the ORM where it can be skipped (MySQL: the driver's pool). */
  read<T>(statement: Statement): Promise<T[]> {
    return this.part.read<T>(statement);
  }

  /** Writing statements as one atomic step in as few round trips as the database allows (publishing's outbox). */
  write(statements: Statement[]): Promise<void> {
    return this.part.write(statements);
  }

  /**
   * Refuses a database on which two workers could claim the same delivery (MySQL: a
   * server whose SKIP LOCKED takes no lock). After migrations: it reads their table.
   */
  assertExclusiveClaims(): Promise<void> {
    return this.part.assertExclusiveClaims();
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.part.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** An unknown MySQL database, told with how to make it (the server said only "Unknown database"). */
function explainMysqlOpenError(error: unknown, url: string): unknown {
  if ((error as { code?: string }).code !== 'ER_BAD_DB_ERROR') return error;
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  return new Error(
    `the MySQL database "${name}" does not exist. Create it, then start again (migrations run with \`hookgraph migrate\`): ` +
      `mysql -e 'CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'`,
    { cause: error },
  );
}
