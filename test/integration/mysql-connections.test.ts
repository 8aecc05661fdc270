import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../src/database/database';
import { mysqlConnection, mysqlQuery, mysqlText } from '../../src/database/mysql-query';
import { freshDatabase, MYSQL_SKIP_MESSAGE, type FreshDatabase } from '../support/databases';

/** The session's isolation level: tx_isolation on MariaDB, transaction_isolation on MySQL 8. */
const ISOLATION = `SHOW SESSION VARIABLES WHERE Variable_name IN ('tx_isolation', 'transaction_isolation')`;
/** A row to write: an API key with this id, name and hash. */
const INSERT_KEY = `INSERT INTO api_keys (id, name, role, key_hash, key_hint, created_at) VALUES (?, ?, 'VIEWER', ?, '…abcd', ?)`;

/** The raw mysql2 paths the hot code takes (publishing, the dispatcher's queue). */
describe('mysql: pooled connections and raw transactions', { skip: process.env.TEST_MYSQL_URL ? false : MYSQL_SKIP_MESSAGE }, () => {
  let fresh: FreshDatabase;
  let db: Database;
  before(async () => {
    fresh = await freshDatabase('mysql');
    db = await Database.open(fresh.config);
    await db.migrate();
  });
  after(async () => {
    await db.close();
    await fresh.drop();
  });

  it('runs every pooled connection READ COMMITTED, the first one included, in both pools', async () => {
    for (const pool of [db.mysql.pool(), db.mysql.batchPool()]) {
      // Hold several connections at once so the pool has to open new ones.
      const connections = await Promise.all(Array.from({ length: 4 }, () => mysqlConnection(pool)));
      try {
        const seen = await Promise.all(connections.map(async (c) => (await mysqlQuery<{ Value: string }[]>(c, ISOLATION))[0]?.Value));
        assert.deepEqual(seen, ['READ-COMMITTED', 'READ-COMMITTED', 'READ-COMMITTED', 'READ-COMMITTED']);
      } finally {
        for (const c of connections) c.release();
      }
    }
    const [viaOrm] = (await db.dataSource.query(ISOLATION)) as { Value: string }[];
    assert.equal(viaOrm?.Value, 'READ-COMMITTED');
  });

  it("reads mysqlText's literals back exactly on the batch pool, even when the server's default sql_mode has NO_BACKSLASH_ESCAPES", async () => {
    const awkward = `it's "q" \\ \\' \0 ? é😀 '); SELECT 1; --`;
    // A SELECT of a variable answers one row.
    const { mode } = (await mysqlQuery<{ mode: string }[]>(db.mysql.pool(), 'SELECT @@GLOBAL.sql_mode AS mode'))[0]!;
    await mysqlQuery(db.mysql.pool(), `SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')`);
    // A database opened now: its batch pool's connections start with the changed default.
    const other = await Database.open(fresh.config);
    try {
      const [rows] = (await other.mysql.atomic([{ sql: `SELECT ${mysqlText(awkward)} AS v, ${mysqlText(null)} AS n` }])) as { v: string; n: null }[][];
      assert.deepEqual(rows, [{ v: awkward, n: null }]);
    } finally {
      await mysqlQuery(db.mysql.pool(), 'SET GLOBAL sql_mode = ?', [mode]);
      await other.close();
    }
  });

  it('commits what an atomic batch wrote and rolls back what a failing one wrote before its failure', async () => {
    const results = await db.mysql.atomic([
      { sql: INSERT_KEY, params: ['apikey_kept', 'kept', 'hash-kept', Date.now()] },
      { sql: `SELECT name FROM api_keys WHERE id = ?`, params: ['apikey_kept'] },
    ]);
    assert.equal(results.length, 2, 'the results of the statements, without the COMMIT');
    assert.deepEqual(results[1], [{ name: 'kept' }], 'a statement sees what the ones before it wrote');
    await assert.rejects(
      db.mysql.atomic([{ sql: INSERT_KEY, params: ['apikey_lost', 'lost', 'hash-lost', Date.now()] }, { sql: 'SELECT no_such_column FROM api_keys' }]),
      /no_such_column/,
    );
    // Every connection of the pool still works and none was left inside a transaction.
    await Promise.all(Array.from({ length: 8 }, (_, i) => db.mysql.atomic([{ sql: 'SELECT ?', params: [i] }])));
    const rows = await mysqlQuery<{ id: string }[]>(db.mysql.pool(), `SELECT id FROM api_keys WHERE id IN ('apikey_kept', 'apikey_lost')`);
    assert.deepEqual(
      rows.map((r) => r.id),
      ['apikey_kept'],
    );
  });

  it('rolls back a queue transaction across its round trips, and gives every connection back outside one', async () => {
    const key = (id: string) => ({ sql: INSERT_KEY, params: [id, id, `hash-${id}`, Date.now()] });
    // A write, then a failing statement in the next round trip: the write is rolled back with the rest.
    await assert.rejects(
      db.queueTransaction(async (tx) => {
        await tx.send([key('apikey_tx_lost')]);
        await tx.send([{ sql: 'SELECT no_such_column FROM api_keys' }]);
      }),
      /no_such_column/,
    );
    // A write committed with the statements after it, then a read after the commit.
    await db.queueTransaction(async (tx) => {
      await tx.send([key('apikey_tx_kept'), { sql: 'SELECT 1' }], { commit: true });
      await tx.rows('SELECT id FROM api_keys LIMIT 1');
    });
    const rows = await mysqlQuery<{ id: string }[]>(db.mysql.pool(), `SELECT id FROM api_keys WHERE id LIKE 'apikey_tx_%'`);
    assert.deepEqual(
      rows.map((r) => r.id),
      ['apikey_tx_kept'],
    );
    const connections = await Promise.all(Array.from({ length: 10 }, () => mysqlConnection(db.mysql.batchPool())));
    try {
      for (const c of connections) {
        const [state] = await mysqlQuery<{ open: number; autocommit: number }[]>(c, 'SELECT @@in_transaction AS open, @@autocommit AS autocommit');
        assert.deepEqual({ ...state }, { open: 0, autocommit: 0 }, 'no transaction left open; autocommit off (the first statement opens one)');
      }
    } finally {
      for (const c of connections) c.release();
    }
  });
});
