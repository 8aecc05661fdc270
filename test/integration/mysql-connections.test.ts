import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Database, mysqlQuery } from '../../src/database';
import { freshDatabase, MYSQL_SKIP_MESSAGE, type FreshDatabase } from '../support/databases';

/** The session's isolation level: tx_isolation on MariaDB, transaction_isolation on MySQL 8. */
const ISOLATION = `SHOW SESSION VARIABLES WHERE Variable_name IN ('tx_isolation', 'transaction_isolation')`;

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

  it('runs every pooled connection READ COMMITTED, the first one included', async () => {
    // Hold several connections at once so the pool has to open new ones.
    const seen = await Promise.all(
      Array.from({ length: 4 }, () =>
        db.mysqlTransaction(async (connection) => {
          const [row] = await mysqlQuery<{ Value: string }[]>(connection, ISOLATION);
          await mysqlQuery(connection, 'DO SLEEP(0.05)');
          return row.Value;
        }),
      ),
    );
    assert.deepEqual(seen, ['READ-COMMITTED', 'READ-COMMITTED', 'READ-COMMITTED', 'READ-COMMITTED']);
    const [viaOrm] = (await db.dataSource.query(ISOLATION)) as { Value: string }[];
    assert.equal(viaOrm.Value, 'READ-COMMITTED');
  });

  it('commits what a transaction wrote and rolls back what a failing one wrote', async () => {
    const insert = `INSERT INTO api_keys (id, name, role, key_hash, key_hint, created_at) VALUES (?, ?, 'VIEWER', ?, '…abcd', ?)`;
    await db.mysqlTransaction((c) => mysqlQuery(c, insert, ['apikey_kept', 'kept', 'hash-kept', Date.now()]));
    await assert.rejects(
      db.mysqlTransaction(async (c) => {
        await mysqlQuery(c, insert, ['apikey_lost', 'lost', 'hash-lost', Date.now()]);
        await mysqlQuery(c, 'SELECT no_such_column FROM api_keys');
      }),
      /no_such_column/,
    );
    const rows = await mysqlQuery<{ id: string }[]>(db.mysqlPool(), `SELECT id FROM api_keys WHERE id IN ('apikey_kept', 'apikey_lost')`);
    assert.deepEqual(rows.map((r) => r.id), ['apikey_kept']);
  });
});
