import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createPool, type Connection, type Pool, type PoolConnection } from 'mysql2';
import { DataSource, type EntityManager } from 'typeorm';
import type { DatabaseConfig } from './config';
import { ApiKeyEntity } from './domain/api-key/api-key.entity';
import { DeliveryAttemptEntity } from './domain/delivery/delivery-attempt.entity';
import { DeliveryEntity } from './domain/delivery/delivery.entity';
import { DestinationEntity } from './domain/destination/destination.entity';
import { EventEntity } from './domain/event/event.entity';
import { ListenerRequestEntity } from './domain/listener/listener-request.entity';
import { ListenerEntity } from './domain/listener/listener.entity';
import { WebhookEntity } from './domain/webhook/webhook.entity';
import { MYSQL_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';
import { SqliteCheckpointer } from './sqlite/checkpointer';

export const ENTITIES = [
  ApiKeyEntity,
  DestinationEntity,
  WebhookEntity,
  EventEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  ListenerEntity,
  ListenerRequestEntity,
];

export function createDataSource(config: DatabaseConfig): DataSource {
  if (config.kind === 'mysql') {
    return new DataSource({
      type: 'mysql',
      url: config.url,
      entities: ENTITIES,
      migrations: MYSQL_MIGRATIONS,
      migrationsTableName: 'migrations',
      synchronize: false,
      charset: 'utf8mb4_bin',
      timezone: 'Z',
      // BIGINT epoch-ms columns come back as numbers; they stay far below 2^53.
      supportBigNumbers: true,
      bigNumberStrings: false,
      poolSize: 10,
      // trace: false spares a captured stack per query (mysql2's promise API, which TypeORM uses).
      extra: { connectionLimit: 10, enableKeepAlive: true, trace: false },
    });
  }
  if (config.path !== ':memory:') fs.mkdirSync(path.dirname(config.path), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: config.path,
    entities: ENTITIES,
    migrations: SQLITE_MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      // A worker thread checkpoints instead (see sqlite/checkpointer.ts); an in-memory database has no WAL.
      if (config.path !== ':memory:') db.pragma('wal_autocheckpoint = 0');
    },
  });
}

const READ_COMMITTED = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';
/** Connections of the batch pool: the dispatcher's queue (two claim loops, two completion flushes) and publishing. */
const BATCH_CONNECTIONS = 10;
/** One SQL statement with its `?` values. */
export interface Statement {
  sql: string;
  params?: unknown[];
}

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

/**
 * Every MySQL connection runs READ COMMITTED: the queue's `FOR UPDATE SKIP LOCKED`
 * then locks only the rows it takes, not the gaps of the due_at index (REPEATABLE
 * READ's next-key locks made concurrent claims, completions and publishes deadlock),
 * and no transaction pays a `SET TRANSACTION` round trip. The statement is queued ahead
 * of anything the pool hands a new connection out for. A connection on which it fails
 * is destroyed: the query queued behind it then fails instead of running at another
 * isolation level.
 */
function readCommittedOnConnect(pool: Pool): void {
  pool.on('connection', (connection: PoolConnection) => {
    connection.query(READ_COMMITTED, (error) => {
      if (error) connection.destroy();
    });
  });
}

/**
 * What the batch pool's connections run before their first use: READ COMMITTED,
 * autocommit off (see Database.mysqlBatchPool), and backslash escapes on whatever the
 * server's default sql_mode (mysqlText's literals need them).
 */
const BATCH_SETUP = `${READ_COMMITTED}; SET SESSION autocommit = 0, sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')`;

/**
 * The data source plus the one rule both databases need from us: SQLite has a single
 * connection, so its transactions MUST NOT interleave; they are queued here.
 */
export class Database {
  readonly kind: DatabaseConfig['kind'];
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private batchPool: Pool | null = null;
  /** Each batch connection's set-up (BATCH_SETUP); a connection whose set-up failed MUST NOT be used. */
  private readonly batchSetups = new WeakMap<PoolConnection, Promise<void>>();
  private checkpointer: SqliteCheckpointer | null = null;

  constructor(
    readonly dataSource: DataSource,
    private readonly config: DatabaseConfig,
  ) {
    this.kind = config.kind;
  }

  static async open(config: DatabaseConfig): Promise<Database> {
    const dataSource = createDataSource(config);
    await dataSource.initialize();
    const db = new Database(dataSource, config);
    if (config.kind === 'mysql') await db.readCommitted();
    else if (config.path !== ':memory:') {
      db.checkpointer = SqliteCheckpointer.start(config.path, () => {
        // Without the worker, SQLite checkpoints by itself again (on this thread).
        void db.sqliteExclusive((raw) => raw.pragma('wal_autocheckpoint = 1000'));
      });
    }
    return db;
  }

  /**
   * MySQL only: the driver's connection pool behind TypeORM, for the hot statements that
   * skip the ORM (publishing, reading a batch's events).
   */
  mysqlPool(): Pool {
    if (this.kind !== 'mysql') throw new Error('mysqlPool is for MySQL');
    return (this.dataSource.driver as unknown as { pool: Pool }).pool;
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
    if (this.kind === 'mysql') return this.dataSource.transaction(work);
    return this.inSqliteTurn(() => this.dataSource.transaction(work));
  }

  /**
   * SQLite only: runs synchronous work on the raw better-sqlite3 connection in its turn
   * of the transaction queue. With no await inside, nothing else can interleave, which
   * makes hot writes (publishing) one uninterrupted step.
   */
  sqliteExclusive<T>(work: (raw: BetterSqlite3.Database) => T): Promise<T> {
    const raw = this.sqliteRaw();
    return this.inSqliteTurn(() => work(raw));
  }

  /**
   * SQLite only: a transaction on the raw better-sqlite3 connection, in its turn of the
   * transaction queue, without the ORM (the dispatcher's queue: claims and completion
   * batches). `work` may await, but only this transaction's own statements.
   */
  sqliteTransaction<T>(work: (raw: BetterSqlite3.Database) => Promise<T>): Promise<T> {
    const raw = this.sqliteRaw();
    return this.inSqliteTurn(async () => {
      raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(raw);
        raw.exec('COMMIT');
        return result;
      } catch (error) {
        if (raw.inTransaction) raw.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** SQLite: `work` runs after everything queued before it, and what is queued after waits for it (one writer). */
  private inSqliteTurn<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.sqliteQueue.then(work);
    this.sqliteQueue = run.catch(() => undefined);
    return run;
  }

  private sqliteRaw(): BetterSqlite3.Database {
    if (this.kind !== 'sqlite') throw new Error('the raw SQLite connection was asked for on a MySQL database');
    return (this.dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  }

  /**
   * MySQL only: a few connections of their own that accept several statements per round
   * trip, for the hot transactions: the dispatcher's queue (a claim is two round trips,
   * a completion batch one) and publishing (one). Only fixed statements run here, their
   * values escaped by the driver; nothing built from input. READ COMMITTED like the
   * rest, and with autocommit off: the first statement opens a transaction, and only
   * COMMIT (or ROLLBACK) ends it, so no transaction spends a statement on START
   * TRANSACTION. Everything run here MUST end with one of the two before the connection
   * goes back to the pool.
   */
  mysqlBatchPool(): Pool {
    if (this.config.kind !== 'mysql') throw new Error('mysqlBatchPool is for MySQL');
    if (!this.batchPool) {
      this.batchPool = createPool({
        uri: this.config.url,
        multipleStatements: true,
        connectionLimit: BATCH_CONNECTIONS,
        charset: 'utf8mb4_bin',
        timezone: 'Z',
        supportBigNumbers: true,
        bigNumberStrings: false,
        enableKeepAlive: true,
        trace: false,
      });
      this.batchPool.on('connection', (connection: PoolConnection) => {
        const setUp = new Promise<void>((resolve, reject) => connection.query(BATCH_SETUP, (error) => (error ? reject(error) : resolve())));
        setUp.catch(() => undefined);
        this.batchSetups.set(connection, setUp);
      });
    }
    return this.batchPool;
  }

  /**
   * MySQL only: a connection of the batch pool whose set-up succeeded. One whose set-up
   * failed is destroyed, never used: with autocommit on, or backslash escapes off, the
   * queue's statements would run without their transaction or misread its literals.
   */
  async batchConnection(): Promise<PoolConnection> {
    const connection = await mysqlConnection(this.mysqlBatchPool());
    try {
      await this.batchSetups.get(connection);
    } catch (error) {
      connection.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`a MySQL connection for the delivery queue could not be set up, and was closed: ${reason}`, { cause: error });
    }
    return connection;
  }

  /**
   * MySQL only: statements as one transaction in one round trip (… COMMIT on the batch
   * pool, no ORM); their results in order. The server stops at a failing statement, and
   * what the ones before it wrote is rolled back.
   */
  async mysqlAtomic(statements: Statement[]): Promise<unknown[]> {
    const connection = await this.batchConnection();
    try {
      const results = await mysqlStatements(connection, [...statements, { sql: 'COMMIT' }]);
      connection.release();
      return results.slice(0, -1);
    } catch (error) {
      await rollBackAndRelease(connection);
      throw error;
    }
  }

  /**
   * MySQL only: refuses a server whose `FOR UPDATE SKIP LOCKED` takes no lock (TiDB
   * parses it and locks nothing): two workers would claim the same delivery. Two
   * connections each take the first unlocked row of the migrations table (filled once
   * migrations ran); on a server that locks, the second gets another row.
   */
  async assertSkipLockedLocks(): Promise<void> {
    const probe = 'SELECT id FROM migrations ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED /* hookgraph: row-lock probe */';
    const first = await this.batchConnection();
    let second: PoolConnection | null = null;
    try {
      second = await this.batchConnection();
      const [a] = await mysqlQuery<{ id: number }[]>(first, probe);
      const [b] = await mysqlQuery<{ id: number }[]>(second, probe);
      if (a && b && a.id === b.id) {
        throw new Error(
          'this MySQL-compatible server accepts `SELECT … FOR UPDATE SKIP LOCKED` but takes no lock (TiDB does so), ' +
            'so two workers could claim the same delivery; hookgraph refuses to run on it. Use MySQL 8 or MariaDB 10.6 or later.',
        );
      }
    } finally {
      await rollBackAndRelease(first);
      if (second) await rollBackAndRelease(second);
    }
  }

  /** READ COMMITTED (see readCommittedOnConnect) on each new connection and on the one initialize() opened, the only one in the pool at this point. */
  private async readCommitted(): Promise<void> {
    readCommittedOnConnect(this.mysqlPool());
    await this.dataSource.query(READ_COMMITTED);
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async close(): Promise<void> {
    const batchPool = this.batchPool;
    this.batchPool = null;
    await this.checkpointer?.stop();
    this.checkpointer = null;
    if (batchPool) await new Promise<void>((resolve) => batchPool.end(() => resolve()));
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
