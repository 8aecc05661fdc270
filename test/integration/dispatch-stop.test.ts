import assert from 'node:assert/strict';
import { it } from 'node:test';
import { In } from 'typeorm';
import { Database } from '../../src/database/database';
import { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { eventually } from '../support/deferred';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { route } from './dispatch-support';

forEachDatabase(
  'dispatch: a graceful stop releases what it cannot finish',
  (ctx) => {
    const receiver = useReceiver();

    it('stops claiming, waits for in-flight requests up to the grace period, then releases their leases and the deliveries claimed ahead', async () => {
      const app = ctx();
      const r = await route(app, receiver.url, { timeoutMs: 10_000 });
      receiver.behave({ kind: 'never' });
      const first = await publish(app, { type: r.type });
      await receiver.waitFor(1);
      // The only slot is taken: these two are claimed ahead and wait for it, unsent.
      const waiting = [await publish(app, { type: r.type }), await publish(app, { type: r.type })];
      const ids = [first.deliveryId, ...waiting.map((w) => w.deliveryId)];
      const db = await Database.open(app.config.database);
      try {
        await eventually(async () => {
          const rows = await db.manager.findBy(DeliveryEntity, { id: In(ids) });
          return rows.length === 3 && rows.every((row) => row.status === 'IN_FLIGHT') ? rows : null;
        });
        const started = Date.now();
        await app.app.stop();
        const took = Date.now() - started;
        assert.ok(took >= 250 && took < 5000, `stop took ${took} ms (grace 300 ms)`);
        assert.equal(receiver.requests.length, 1, 'the deliveries waiting for a slot were never sent');
        for (const id of ids) {
          const row = await db.manager.findOneByOrFail(DeliveryEntity, { id });
          assert.equal(row.status, 'PENDING', 'released, not lost and not counted as an attempt');
          assert.equal(row.leaseOwner, null);
          assert.equal(row.attemptCount, 0);
          assert.ok(row.dueAt && row.dueAt.getTime() <= Date.now(), 'due again at once, for another worker');
        }
      } finally {
        await db.close();
      }
    });
  },
  { HOOKGRAPH_WORKER_STOP_GRACE_MS: '300', HOOKGRAPH_WORKER_CONCURRENCY: '1', HOOKGRAPH_WORKER_CLAIM_BATCH: '4' },
);
