import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { it } from 'node:test';
import { UNRECORDED_SLOTS } from '../../src/dispatch/request-slots';
import { eventually } from '../support/deferred';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { route } from './dispatch-support';

const CONCURRENCY = 3;

forEachDatabase(
  'dispatch: concurrency bounds the deliveries in flight',
  (ctx) => {
    const receiver = useReceiver();

    it(`keeps ${CONCURRENCY} requests open at once, never more, until the backlog is delivered`, async () => {
      const app = ctx();
      const r = await route(app, receiver.url);
      receiver.behave({ kind: 'status', status: 200, delayMs: 150 });
      const ids: string[] = [];
      for (let i = 0; i < 4 * CONCURRENCY; i++) ids.push((await publish(app, { type: r.type, data: { i } })).deliveryId);
      await receiver.waitFor(ids.length, 10_000);
      assert.equal(receiver.maxOpen, CONCURRENCY, `at most ${CONCURRENCY} requests at once, and the slots were used`);
      await eventually(async () => {
        const res = await app.gql(`{ deliveries(first: 50, filter: { status: [SUCCEEDED] }) { totalCount } }`);
        return res.data.deliveries.totalCount >= ids.length;
      });
    });

    it(`sends go on while results wait for their commit, up to ${UNRECORDED_SLOTS * CONCURRENCY} unrecorded, then wait (MySQL)`, async (tc) => {
      const app = ctx();
      if (app.config.database.kind !== 'mysql') {
        tc.skip('SQLite: another connection holding the write lock would hold back the claims too (and block this thread)');
        return;
      }
      const r = await route(app, receiver.url);
      receiver.reset();
      receiver.behave({ kind: 'status', status: 200 });
      // Another session holds the attempts table: every result waits for its commit.
      const other = await mysql.createConnection(app.config.database.url);
      let unlocked = false;
      const unlock = async () => {
        if (unlocked) return;
        unlocked = true;
        await other.query('UNLOCK TABLES');
      };
      try {
        await other.query('LOCK TABLES delivery_attempts WRITE');
        const ids: string[] = [];
        for (let i = 0; i < (UNRECORDED_SLOTS + 2) * CONCURRENCY; i++) ids.push((await publish(app, { type: r.type, data: { i } })).deliveryId);
        // The receiver answers at once, so the slots free up: UNRECORDED_SLOTS times the concurrency goes out...
        await receiver.waitFor(UNRECORDED_SLOTS * CONCURRENCY, 5000);
        // ...and nothing more while none of those is recorded.
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(receiver.requests.length, UNRECORDED_SLOTS * CONCURRENCY, `sent and unrecorded is bounded at ${UNRECORDED_SLOTS} times the concurrency`);
        await unlock();
        await receiver.waitFor(ids.length, 10_000);
        await eventually(async () => {
          const res = await app.gql(`{ deliveries(first: 50, filter: { status: [SUCCEEDED] }) { nodes { id } } }`);
          const done = new Set(res.data.deliveries.nodes.map((n: { id: string }) => n.id));
          return ids.every((id) => done.has(id));
        });
        assert.equal(receiver.requests.length, ids.length, 'each delivery sent once');
        assert.ok(receiver.maxOpen <= CONCURRENCY, `at most ${CONCURRENCY} requests at once`);
      } finally {
        await unlock();
        await other.end();
      }
    });
  },
  { HOOKGRAPH_WORKER_CONCURRENCY: String(CONCURRENCY), HOOKGRAPH_WORKER_POLL_MS: '50' },
);
