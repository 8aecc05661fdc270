import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { TestApp } from '../support/app';
import { useLiveSubscriptions } from '../support/live';
import { Receiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { deliveryStatuses, route, terminal, waitDelivery } from './dispatch-support';

type Updates = { deliveryUpdated: { id: string; status: string } };
const UPDATES = `subscription($f: DeliveryFilter) { deliveryUpdated(filter: $f) { id status } }`;

/** What the app's signals carried while `work` ran: each signal's arguments, as ids. */
async function heard<T>(
  t: TestApp,
  work: () => Promise<T>,
): Promise<{ result: T; created: { deliveries: string[]; events: string[] }[]; requeued: string[][] }> {
  const created: { deliveries: string[]; events: string[] }[] = [];
  const requeued: string[][] = [];
  const { signals } = t.app.services;
  const offs = [
    signals.on('deliveriesCreated', (deliveries, events) => created.push({ deliveries: deliveries.map((d) => d.id), events: (events ?? []).map((e) => e.id) })),
    signals.on('deliveriesRequeued', (deliveries) => requeued.push(deliveries.map((d) => d.id))),
  ];
  try {
    return { result: await work(), created, requeued };
  } finally {
    for (const off of offs) off();
  }
}

// No poll: a delivery goes out only when a signal wakes the dispatcher.
forEachDatabase(
  'signals: new and re-queued deliveries each have their own',
  (ctx) => {
    const live = useLiveSubscriptions(ctx);
    let receiver: Receiver;
    before(async () => {
      receiver = await Receiver.start();
    });
    after(() => receiver.stop());

    it('a publish announces its new deliveries together with their events', async () => {
      const t = ctx();
      receiver.behave({ kind: 'status', status: 200 });
      const r = await route(t, receiver.url);
      const one = await heard(t, () => publish(t, { type: r.type }));
      assert.deepEqual(one.created, [{ deliveries: [one.result.deliveryId], events: [one.result.eventId] }]);
      assert.deepEqual(one.requeued, []);

      const batch = await heard(t, async () => {
        const res = await t.gql(`mutation($input: EventPublishBatchInput!) { eventPublishBatch(input: $input) { events { id } userErrors { code } } }`, {
          input: { type: r.type, syncMode: 'UPSERT', rows: [{ id: 'a' }, { id: 'b' }] },
        });
        assert.deepEqual(res.data.eventPublishBatch.userErrors, []);
        return (res.data.eventPublishBatch.events as { id: string }[]).map((e) => e.id);
      });
      assert.equal(batch.created.length, 1, 'one signal for the batch');
      assert.deepEqual(batch.created[0]!.events, batch.result);
      assert.equal(batch.created[0]!.deliveries.length, 2);
      for (const id of [one.result.deliveryId, ...batch.created[0]!.deliveries]) await waitDelivery(t, id, (d) => d.status === 'SUCCEEDED');
    });

    it('a retry announces the delivery as re-queued, not as new: subscribers get its change once, and it is sent again', async () => {
      const t = ctx();
      receiver.behave({ kind: 'status', status: 500 });
      const r = await route(t, receiver.url, { retryPolicy: { maxAttempts: 1 } });
      const stream = await live<Updates>('VIEWER', UPDATES, { f: { webhookId: r.webhookId } });
      const { deliveryId } = await publish(t, { type: r.type });
      assert.deepEqual(await deliveryStatuses(stream, deliveryId, 'FAILED'), ['PENDING', 'IN_FLIGHT', 'FAILED']);

      receiver.behave({ kind: 'status', status: 204 });
      const retry = await heard(t, () => t.gql(`mutation($id: ID!) { deliveryRetry(id: $id) { userErrors { code } } }`, { id: deliveryId }));
      assert.deepEqual(retry.result.data.deliveryRetry.userErrors, []);
      assert.deepEqual(retry.created, [], 'not a new delivery');
      assert.deepEqual(retry.requeued, [[deliveryId]]);
      assert.deepEqual(await deliveryStatuses(stream, deliveryId, 'SUCCEEDED'), ['PENDING', 'IN_FLIGHT', 'SUCCEEDED']);
    });

    it('a bulk retry announces what it queued again as re-queued, and the dispatcher sends it', async () => {
      const t = ctx();
      receiver.behave({ kind: 'status', status: 400 });
      const r = await route(t, receiver.url);
      const ids = [(await publish(t, { type: r.type })).deliveryId, (await publish(t, { type: r.type })).deliveryId];
      for (const id of ids) await waitDelivery(t, id, terminal);

      receiver.behave({ kind: 'status', status: 200 });
      const bulk = await heard(t, async () => {
        const res = await t.gql(`mutation($f: DeliveryRetryFilter!) { deliveriesRetry(filter: $f, dryRun: false) { bulkRetry { id } userErrors { code } } }`, {
          f: { destinationId: r.destinationId },
        });
        assert.deepEqual(res.data.deliveriesRetry.userErrors, []);
        for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'SUCCEEDED');
      });
      assert.deepEqual(bulk.created, [], 'not new deliveries');
      assert.deepEqual(bulk.requeued.flat().sort(), [...ids].sort());
    });
  },
  { HOOKGRAPH_WORKER_POLL_MS: '60000' },
);

forEachDatabase('signals: every announced change carries the version the database holds after it', (ctx) => {
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
  });
  after(() => receiver.stop());

  it('counts every change of a delivery, from its creation (0) through a failure, a retry and a success', async () => {
    const t = ctx();
    receiver.behave({ kind: 'status', status: 500 });
    const r = await route(t, receiver.url, { retryPolicy: { maxAttempts: 1 } });
    const announced: { id: string; status: string; version: number }[] = [];
    const { signals } = t.app.services;
    const offs = [
      signals.on('deliveriesCreated', (deliveries) => announced.push(...deliveries.map(({ id, status, version }) => ({ id, status, version })))),
      signals.on('deliveryUpdated', ({ id, status, version }) => announced.push({ id, status, version })),
    ];
    try {
      const { deliveryId } = await publish(t, { type: r.type });
      await waitDelivery(t, deliveryId, (d) => d.status === 'FAILED');
      receiver.behave({ kind: 'status', status: 204 });
      const retry = await t.gql(`mutation($id: ID!) { deliveryRetry(id: $id) { userErrors { code } } }`, { id: deliveryId });
      assert.deepEqual(retry.data.deliveryRetry.userErrors, []);
      await waitDelivery(t, deliveryId, (d) => d.status === 'SUCCEEDED');

      const mine = announced.filter((a) => a.id === deliveryId);
      assert.deepEqual(
        mine.map((a) => a.version),
        mine.map((_, i) => i),
        `one more per change, from 0: ${JSON.stringify(mine)}`,
      );
      assert.ok(
        mine.some((a) => a.status === 'PENDING' && a.version > 1),
        'the retry is among them',
      );
      const stored = await t.app.services.db.manager.findOneByOrFail(DeliveryEntity, { id: deliveryId });
      assert.equal(stored.status, 'SUCCEEDED');
      assert.equal(stored.version, mine[mine.length - 1]!.version, 'the last announced is the version stored');
    } finally {
      for (const off of offs) off();
    }
  });

  it('refuses an operator action on a delivery whose status no longer allows it, and writes nothing', async () => {
    const t = ctx();
    receiver.behave({ kind: 'status', status: 200 });
    const r = await route(t, receiver.url);
    const { deliveryId } = await publish(t, { type: r.type });
    await waitDelivery(t, deliveryId, (d) => d.status === 'SUCCEEDED');
    const before = await t.app.services.db.manager.findOneByOrFail(DeliveryEntity, { id: deliveryId });
    const res = await t.gql(`mutation($id: ID!) { deliveryCancel(id: $id) { userErrors { code message } } }`, { id: deliveryId });
    assert.equal(res.data.deliveryCancel.userErrors[0].code, 'INVALID_STATE');
    assert.match(res.data.deliveryCancel.userErrors[0].message, /delivery is SUCCEEDED/);
    const after = await t.app.services.db.manager.findOneByOrFail(DeliveryEntity, { id: deliveryId });
    assert.equal(after.version, before.version);
  });
});
