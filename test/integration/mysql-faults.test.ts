import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../src/database/database';
import { startTestApp, type TestApp } from '../support/app';
import { freshDatabase, MYSQL_SKIP_MESSAGE, type FreshDatabase } from '../support/databases';
import { eventually, within } from '../support/deferred';
import { MysqlProxy } from '../support/mysql-proxy';
import { useReceiver } from '../support/receiver';
import { connected, subscribe, wsClient } from '../support/ws-client';
import { publish } from '../support/publish';
import { route, waitDelivery } from './dispatch-support';

const mysqlUrl = process.env.TEST_MYSQL_URL;

/** The round trip of a completion batch: its attempts, the deliveries' new states, COMMIT. */
const completionRoundTrip = (sql: string) => sql.startsWith('INSERT INTO delivery_attempts') && /COMMIT\s*$/.test(sql);

/**
 * Faults between hookgraph and a real MariaDB, made by a TCP proxy that reads the MySQL
 * protocol: a commit whose acknowledgement is lost, a connection whose set-up the server
 * refuses, a server whose SKIP LOCKED takes no lock.
 */
describe('mysql: faults between hookgraph and MySQL', { skip: mysqlUrl ? false : MYSQL_SKIP_MESSAGE }, () => {
  let proxy: MysqlProxy;
  const receiver = useReceiver();
  before(async () => {
    proxy = await MysqlProxy.start(mysqlUrl!);
  });
  after(async () => {
    await proxy?.stop();
  });

  describe('a completion batch whose COMMIT reply is lost', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp('mysql', {}, { viaMysqlUrl: (url) => proxy.url(url) });
    });
    after(async () => {
      await t?.stop();
    });

    it('is recognised as committed and announced; delivery goes on, nothing is sent twice', async () => {
      receiver.reset();
      const r = await route(t, receiver.url);
      const client = wsClient(t.url, t.adminKey);
      const seen = new Map<string, string[]>();
      const stream = subscribe<{ deliveryUpdated: { id: string; status: string } }>(
        client,
        `subscription($d: ID) { deliveryUpdated(filter: { destinationId: $d }) { id status } }`,
        { d: r.destinationId },
      );
      try {
        await connected(client);
        const lost = proxy.dropReplyOnce(completionRoundTrip);
        const first = await Promise.all(Array.from({ length: 5 }, () => publish(t, { type: r.type })));
        const connection = await within(10_000, lost, 'no completion round trip went through the proxy');
        const rest = await Promise.all(Array.from({ length: 5 }, () => publish(t, { type: r.type })));
        const ids = [...first, ...rest].map((p) => p.deliveryId);
        for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'SUCCEEDED', 10_000);

        assert.ok(proxy.isClosed(connection), 'the connection whose reply was dropped is gone');
        const sent = receiver.requests.map((q) => String(q.headers['x-hookgraph-delivery-id']));
        assert.equal(sent.length, ids.length, `each delivery was sent once (${sent.length} requests for ${ids.length})`);
        assert.deepEqual(new Set(sent), new Set(ids));
        const attempts = (await t.app.services.db.dataSource.query(
          `SELECT delivery_id, COUNT(*) AS n FROM delivery_attempts WHERE delivery_id IN (${ids.map(() => '?').join(', ')}) GROUP BY delivery_id`,
          ids,
        )) as { delivery_id: string; n: number }[];
        assert.deepEqual(
          attempts.map((a) => Number(a.n)),
          ids.map(() => 1),
          'one attempt stored per delivery',
        );

        // Every status that was committed, the lost batch's included, reached the subscriber.
        await eventually(async () => {
          for (const result of stream.buffered.splice(0)) {
            const d = result.data!.deliveryUpdated;
            seen.set(d.id, [...(seen.get(d.id) ?? []), d.status]);
          }
          return ids.every((id) => seen.get(id)?.includes('SUCCEEDED'));
        }, 5000);
      } finally {
        stream.stop();
        await client.dispose();
      }
    });
  });

  describe('a queue connection whose set-up fails', () => {
    let fresh: FreshDatabase;
    let db: Database;
    before(async () => {
      fresh = await freshDatabase('mysql');
      db = await Database.open({ kind: 'mysql', url: proxy.url((fresh.config as { url: string }).url) });
    });
    after(async () => {
      await db?.close();
      await fresh?.drop();
    });

    it('is closed and never used; the next connection is set up', async () => {
      const refused = proxy.failOnce((sql) => sql.includes('SET SESSION autocommit = 0'), 1231, "Variable 'sql_mode' can't be set to the value of 'X'");
      await assert.rejects(
        db.queueTransaction((tx) => tx.rows('SELECT @@SESSION.autocommit AS autocommit')),
        /could not be set up, and was closed/,
      );
      const connection = await refused;
      await eventually(async () => proxy.isClosed(connection), 2000);
      assert.deepEqual(
        proxy.queries(connection).filter((sql) => !sql.includes('SET SESSION')),
        [],
        'nothing ran on the connection whose set-up failed',
      );
      const [row] = await db.queueTransaction((tx) => tx.rows<{ autocommit: number }>('SELECT @@SESSION.autocommit AS autocommit'));
      assert.equal(Number(row!.autocommit), 0, 'a new connection was set up: autocommit off');
    });
  });

  it('refuses to start on a server whose SKIP LOCKED takes no lock', async () => {
    // The proxy takes the lock out of the start-up probe, as TiDB ignores it.
    proxy.rewrite(
      (sql) => sql.includes('hookgraph: row-lock probe'),
      (sql) => sql.replace('FOR UPDATE SKIP LOCKED', ''),
    );
    await assert.rejects(startTestApp('mysql', {}, { viaMysqlUrl: (url) => proxy.url(url) }), /accepts `SELECT … FOR UPDATE SKIP LOCKED` but takes no lock/);
  });
});
