import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DataSource, type EntityManager } from 'typeorm';
import { SQLITE_MIGRATIONS } from '../migrations';
import type { Dialect } from '../sql/dialect';
import type { QueueTx, Statement } from '../sql/queue-transaction';
import type { DatabasePart } from './database';
import { ENTITIES } from './entities';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { PreparedStatements, sqliteTx } from './sqlite-queue-tx';

export function sqliteDataSource(file: string): DataSource {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: file,
    entities: ENTITIES,
    migrations: SQLITE_MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      // A worker thread checkpoints instead (see sqlite-checkpointer.ts); an in-memory database has no WAL.
      if (file !== ':memory:') db.pragma('wal_autocheckpoint = 0');
    },
  });
}

/**
 * The SQLite part of Database. SQLite has a single connection, so its transactions MUST
 * NOT interleave: each waits for its turn here. A worker thread checkpoints the WAL.
 */
export class SqliteConnection implements DatabasePart {
  /** A file of this process's own: it brings the schema up to date when it starts. */
  readonly embedded = true;
  private turns: Promise<unknown> = Promise.resolve();
  private checkpointer: SqliteCheckpointer | null = null;
  /** The queue's statements, and apart from them (so that those never push these out) the writes' and the reads'. */
  private readonly queueStatements: PreparedStatements;
  private readonly writeStatements: PreparedStatements;
  private readonly readStatements: PreparedStatements;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: Dialect,
  ) {
    this.queueStatements = new PreparedStatements(this.raw());
    this.writeStatements = new PreparedStatements(this.raw());
    this.readStatements = new PreparedStatements(this.raw());
  }

  static open(dataSource: DataSource, file: string, dialect: Dialect): SqliteConnection {
    const connection = new SqliteConnection(dataSource, dialect);
    if (file !== ':memory:') {
      connection.checkpointer = SqliteCheckpointer.start(file, () => {
        // Without the worker, SQLite checkpoints by itself again (on this thread).
        void connection.exclusive((raw) => raw.pragma('wal_autocheckpoint = 1000'));
      });
    }
    return connection;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.inTurn(() => this.dataSource.transaction(work));
  }

  /**
   * Runs synchronous work on the raw better-sqlite3 connection in its turn of the
   * transaction queue. With no await inside, nothing else can interleave, which makes
   * hot writes (publishing) one uninterrupted step.
   */
  exclusive<T>(work: (raw: BetterSqlite3.Database) => T): Promise<T> {
    const raw = this.raw();
    return this.inTurn(() => work(raw));
  }

  /**
   * A transaction on the raw better-sqlite3 connection, in its turn of the transaction
   * queue, without the ORM (the dispatcher's queue: claims and completion batches).
   * `work` may await, but only this transaction's own statements.
   */
  rawTransaction<T>(work: (raw: BetterSqlite3.Database) => Promise<T>): Promise<T> {
    const raw = this.raw();
    return this.inTurn(async () => {
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

  queueTransaction<T>(work: (tx: QueueTx) => Promise<T>): Promise<T> {
    return this.rawTransaction(() => work(sqliteTx(this.queueStatements, this.dialect)));
  }

  /**
   * On the ORM's connection, outside the turns: a read waits for no transaction. Each
   * statement is prepared once (a claimed batch's events are read this way, on the hot path).
   */
  async read<T>(statement: Statement): Promise<T[]> {
    return this.readStatements.get(statement.sql).all(...(statement.params ?? [])) as T[];
  }

  /** One synchronous transaction in its turn, each statement prepared once. */
  async write(statements: Statement[]): Promise<void> {
    await this.exclusive((raw) => {
      raw.transaction(() => {
        for (const { sql, params = [] } of statements) this.writeStatements.get(sql).run(...params);
      })();
    });
  }

  /** One writer: no two claims can take the same delivery. */
  async assertExclusiveClaims(): Promise<void> {}

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    this.checkpointer = null;
  }

  /** `work` runs after everything queued before it, and what is queued after waits for it (one writer). */
  private inTurn<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.turns.then(work);
    this.turns = run.catch(() => undefined);
    return run;
  }

  private raw(): BetterSqlite3.Database {
    return (this.dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  }
}
