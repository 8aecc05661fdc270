import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { startWorkerFor } from '../support/child-app';
import { eventually } from '../support/deferred';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { route, waitDelivery } from './dispatch-support';

const LEASE_MS = 4000;

/** A worker process on the test app's database (the app itself only publishes), one request at a time. */
const worker = (t: TestApp) =>
  startWorkerFor(t, {
    HOOKGRAPH_WORKER_LEASE_MS: String(LEASE_MS),
    HOOKGRAPH_WORKER_CONCURRENCY: '1',
    HOOKGRAPH_WORKER_CLAIM_BATCH: '1',
    HOOKGRAPH_WORKER_POLL_MS: '100',
  });

/**
 * A delivery whose worker died holding its lease is due again at the time it had before
 * the lease, not at the lease's end: it goes before the deliveries that came due while
 * the lease ran.
 */
forEachDatabase(
  'dispatch: an expired lease goes back to its place',
  (ctx) => {
    const receiver = useReceiver();

    it('a crashed worker’s delivery is sent before those published during its lease', async () => {
      const t = ctx();
      const r = await route(t, receiver.url);
      const due = async (id: string) =>
        Number(((await t.app.services.db.dataSource.query('SELECT due_at FROM deliveries WHERE id = ?', [id])) as { due_at: number }[])[0]!.due_at);

      // A worker takes the first delivery and dies with the request open.
      receiver.reset();
      receiver.behave({ kind: 'never' });
      const first = await publish(t, { type: r.type });
      const crashed = await worker(t);
      try {
        await receiver.waitFor(1, 10_000);
      } finally {
        await crashed.kill('SIGKILL');
      }
      const later = [];
      for (let i = 0; i < 12; i++) later.push(await publish(t, { type: r.type }));
      const leaseEnd = await due(first.deliveryId);
      assert.ok(leaseEnd > (await due(later[later.length - 1]!.deliveryId)), 'the later deliveries came due while the lease ran');
      await eventually(async () => Date.now() > leaseEnd + 50, LEASE_MS + 5000, 50);

      receiver.reset();
      receiver.behave({ kind: 'status', status: 200 });
      const survivor = await worker(t);
      try {
        const requests = await receiver.waitFor(1 + later.length, 20_000);
        const order = requests.map((q) => String(q.headers['x-hookgraph-delivery-id']));
        assert.equal(order[0], first.deliveryId, `the expired lease's delivery went first (order: ${order.join(' ')})`);
        assert.deepEqual(
          order.slice(1),
          later.map((p) => p.deliveryId),
          'the others in their order',
        );
        const view = await waitDelivery(t, first.deliveryId, (d) => d.status === 'SUCCEEDED');
        assert.equal(view.attemptCount, 1, 'the dead worker’s attempt was never recorded; this is the first');
      } finally {
        await survivor.kill('SIGTERM');
      }
    });
  },
  { HOOKGRAPH_WORKER_ENABLED: 'false' },
);
