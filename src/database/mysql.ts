import { createPool, format, type Pool, type PoolConnection, type SqlValue, type Timezone } from 'mysql2';
import { DataSource, type EntityManager } from 'typeorm';
import { MYSQL_MIGRATIONS } from '../migrations';
import type { Dialect } from '../sql/dialect';
import type { QueueTx, Statement } from '../sql/queue-transaction';
import type { DatabasePart } from './database';
import { ENTITIES } from './entities';
import { mysqlConnection, mysqlQuery, mysqlStatements, rollBackAndRelease } from './mysql-query';
import { MysqlQueueTx } from './mysql-queue-tx';

const READ_COMMITTED = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';
/** Connections of the batch pool: the dispatcher's queue (its claims, up to two completion flushes, lease returns) and publishing. */
const BATCH_CONNECTIONS = 10;

export function mysqlDataSource(url: string): DataSource {
  return new DataSource({
    type: 'mysql',
    url,
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
 * autocommit off (see MysqlConnections.batchPool), and backslash escapes on whatever the
 * server's default sql_mode (mysqlText's literals need them).
 */
const BATCH_SETUP = `${READ_COMMITTED}; SET SESSION autocommit = 0, sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')`;

/**
 * The MySQL part of Database: TypeORM's pool, READ COMMITTED on every connection, and
 * the batch pool of the hot transactions, whose connections are used only once their
 * set-up succeeded.
 */
export class MysqlConnections implements DatabasePart {
  /** A server that other processes share: migrations are run on purpose, by `hookgraph migrate`. */
  readonly embedded = false;
  private batch: Pool | null = null;
  /** Each batch connection's set-up (BATCH_SETUP); a connection whose set-up failed MUST NOT be used. */
  private readonly batchSetups = new WeakMap<PoolConnection, Promise<void>>();

  private constructor(
    private readonly dataSource: DataSource,
    private readonly url: string,
    private readonly dialect: Dialect,
  ) {}

  /** READ COMMITTED (see readCommittedOnConnect) on each new connection and on the one initialize() opened, the only one in the pool at this point. */
  static async open(dataSource: DataSource, url: string, dialect: Dialect): Promise<MysqlConnections> {
    const connections = new MysqlConnections(dataSource, url, dialect);
    readCommittedOnConnect(connections.pool());
    await dataSource.query(READ_COMMITTED);
    return connections;
  }

  /** The driver's connection pool behind TypeORM, for the hot statements that skip the ORM (publishing, reading a batch's events). */
  pool(): Pool {
    return (this.dataSource.driver as unknown as { pool: Pool }).pool;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** On the batch pool: COMMIT travels with the last statements where the work says so, else it is sent at the end. */
  async queueTransaction<T>(work: (tx: QueueTx) => Promise<T>): Promise<T> {
    const connection = await this.batchConnection();
    const tx = new MysqlQueueTx(connection, this.dialect);
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

  read<T>(statement: Statement): Promise<T[]> {
    return mysqlQuery<T[]>(this.pool(), statement.sql, statement.params);
  }

  /** One statement is atomic by itself: an autocommit write on the pool. More are one transaction in one round trip (`atomic`). */
  async write(statements: Statement[]): Promise<void> {
    if (statements.length === 1) await mysqlQuery(this.pool(), statements[0]!.sql, statements[0]!.params);
    else await this.atomic(statements);
  }

  /**
   * A few connections of their own that accept several statements per round trip, for
   * the hot transactions: the dispatcher's queue (a claim is two round trips, a
   * completion batch one) and publishing (one). Only fixed statements run here, their
   * values escaped by the driver; nothing built from input. READ COMMITTED like the
   * rest, and with autocommit off: the first statement opens a transaction, and only
   * COMMIT (or ROLLBACK) ends it, so no transaction spends a statement on START
   * TRANSACTION. Everything run here MUST end with one of the two before the connection
   * goes back to the pool.
   */
  batchPool(): Pool {
    if (!this.batch) {
      this.batch = createPool({
        uri: this.url,
        multipleStatements: true,
        connectionLimit: BATCH_CONNECTIONS,
        charset: 'utf8mb4_bin',
        timezone: 'Z',
        supportBigNumbers: true,
        bigNumberStrings: false,
        enableKeepAlive: true,
        trace: false,
        // The driver formats every query, values or not, and with none it still reads the
        // whole text for a placeholder: a completion batch's text is tens of KB of literals,
        // written out whole (mysqlStatements). A text with no values goes as it is.
        queryFormat: (sql: string, values: SqlValue[] | undefined, timezone?: Timezone) => (values?.length ? format(sql, values, false, timezone) : sql),
      });
      this.batch.on('connection', (connection: PoolConnection) => {
        const setUp = new Promise<void>((resolve, reject) => connection.query(BATCH_SETUP, (error) => (error ? reject(error) : resolve())));
        setUp.catch(() => undefined);
        this.batchSetups.set(connection, setUp);
      });
    }
    return this.batch;
  }

  /**
   * A connection of the batch pool whose set-up succeeded. One whose set-up failed is
   * destroyed, never used: with autocommit on, or backslash escapes off, the queue's
   * statements would run without their transaction or misread its literals.
   */
  async batchConnection(): Promise<PoolConnection> {
    const connection = await mysqlConnection(this.batchPool());
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
   * Statements as one transaction in one round trip (… COMMIT on the batch pool, no
   * ORM); their results in order. The server stops at a failing statement, and what the
   * ones before it wrote is rolled back.
   */
  async atomic(statements: Statement[]): Promise<unknown[]> {
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
   * Refuses a server whose `FOR UPDATE SKIP LOCKED` takes no lock (TiDB parses it and
   * locks nothing): two workers would claim the same delivery. Two connections each take
   * the first unlocked row of the migrations table (filled once migrations ran); on a
   * server that locks, the second gets another row.
   */
  async assertExclusiveClaims(): Promise<void> {
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

  async close(): Promise<void> {
    const batch = this.batch;
    this.batch = null;
    if (batch) await new Promise<void>((resolve) => batch.end(() => resolve()));
  }
}
