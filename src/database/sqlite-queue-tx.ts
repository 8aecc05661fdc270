import type BetterSqlite3 from 'better-sqlite3';
import type { Dialect } from '../sql/dialect';
import type { QueueTx, Statement, StatementResult } from '../sql/queue-transaction';

const MAX_PREPARED = 200;

/** Statements of one raw connection by SQL text, each prepared the first time it runs; the oldest go first past MAX_PREPARED. */
export class PreparedStatements {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly raw: BetterSqlite3.Database) {}

  get(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.raw.prepare(sql);
      this.statements.set(sql, stmt);
      if (this.statements.size > MAX_PREPARED) this.statements.delete(this.statements.keys().next().value!);
    }
    return stmt;
  }
}

/** A queue transaction's statements on the raw connection (SqliteConnection.rawTransaction holds the transaction). */
export function sqliteTx(statements: PreparedStatements, dialect: Dialect): QueueTx {
  const send = async (list: Statement[]): Promise<StatementResult[]> =>
    list.map(({ sql, params = [] }) => {
      const stmt = statements.get(sql);
      // A reading statement (SELECT, or a write with RETURNING) gives its rows, a write the rows it changed.
      return stmt.reader ? (stmt.all(...params) as unknown[]) : stmt.run(...params).changes;
    });
  return {
    dialect,
    send,
    rows: async <T>(sql: string, params?: unknown[]) => (await send([{ sql, params }]))[0] as T[],
    run: async (sql, params) => (await send([{ sql, params }]))[0] as number,
  };
}
