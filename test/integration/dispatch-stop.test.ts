import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Database } from '../../src/database';
import { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { Receiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish, route } from './dispatch-support';

forEachDatabase(
  'dispatch: a graceful stop releases what it cannot finish',
  (ctx) => {
    let receiver: Receiver;
    before(async () => {
      receiver = await Receiver.start();
    });
    after(() => receiver.stop());

    it('stops claiming, waits for in-flight requests up to the grace period, then releases their leases', async () => {
      const app = ctx();
      const r = await route(app, receiver.url, { timeoutMs: 10_000 });
      receiver.behave({ kind: 'never' });
      const { deliveryId } = await publish(app, r.type);
      await receiver.waitFor(1);
      const started = Date.now();
      await app.app.stop();
      const took = Date.now() - started;
      assert.ok(took >= 250 && took < 5000, `stop took ${took} ms (grace 300 ms)`);
      const db = await Database.open(app.config.database);
      try {
        const row = await db.manager.findOneByOrFail(DeliveryEntity, { id: deliveryId });
        assert.equal(row.status, 'PENDING', 'released, not lost and not counted as an attempt');
        assert.equal(row.leaseOwner, null);
        assert.equal(row.attemptCount, 0);
        assert.ok(row.dueAt && row.dueAt.getTime() <= Date.now(), 'due again at once, for another worker');
      } finally {
        await db.close();
      }
    });
  },
  { HOOKGRAPH_WORKER_STOP_GRACE_MS: '300' },
);
