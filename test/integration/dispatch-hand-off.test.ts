import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Database } from '../../src/database/database';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook, pauseDestination } from '../support/fixtures';
import { publish } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';

/** The row as stored, and the delivery's arrival at the receiver. */
async function stored(t: TestApp, id: string): Promise<{ status: string; attemptCount: number }> {
  const res = await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status attemptCount } } }`, { id });
  return res.data.node;
}

async function succeeded(t: TestApp, id: string): Promise<void> {
  await eventually(async () => (await stored(t, id)).status === 'SUCCEEDED');
}

// No poll (claims come from wake-ups only): what the dispatcher knows of a destination
// stays as it last read it, which the second test needs.
forEachDatabase(
  'dispatch: deliveries handed to the local dispatcher at publish',
  (ctx) => {
    const receiver = useReceiver();

    it('writes a new delivery already leased (IN_FLIGHT) when the dispatcher knows its destination is ACTIVE and has a free slot, and sends it', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: `${receiver.url}/hand` });
      await createWebhook(t, dest.id, { eventTypes: ['hand.off'] });
      // A destination the dispatcher has not read: written PENDING, claimed.
      const first = await publish(t, { type: 'hand.off', data: { n: 1 } });
      assert.equal(first.deliveries[0]?.status, 'PENDING');
      await succeeded(t, first.deliveryId);
      // Now it is known ACTIVE: the next one is taken at publish, also after the context
      // cache's second has passed (the destination is read again before the send).
      await new Promise((r) => setTimeout(r, 1100));
      const second = await publish(t, { type: 'hand.off', data: { n: 2 } });
      assert.equal(second.deliveries[0]?.status, 'IN_FLIGHT');
      await succeeded(t, second.deliveryId);
      assert.deepEqual(await stored(t, second.deliveryId), { status: 'SUCCEEDED', attemptCount: 1 });
      const arrived = receiver.requests.filter((r) => r.headers['webhook-id'] === second.event.id);
      assert.equal(arrived.length, 1, 'sent once');
      assert.deepEqual(JSON.parse(arrived[0]!.body).data, { n: 2 });
    });

    it('parks, unsent, a hand-off to a destination another process has paused since', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: `${receiver.url}/elsewhere` });
      await createWebhook(t, dest.id, { eventTypes: ['hand.elsewhere'] });
      await succeeded(t, (await publish(t, { type: 'hand.elsewhere' })).deliveryId);
      // Paused behind this process's back (no signal here), longer ago than the caches' second.
      const other = await Database.open(t.config.database);
      try {
        await other.dataSource.query(`UPDATE destinations SET status = 'PAUSED' WHERE id = ?`, [dest.id]);
      } finally {
        await other.close();
      }
      await new Promise((r) => setTimeout(r, 1100));
      const late = await publish(t, { type: 'hand.elsewhere', data: { late: true } });
      assert.equal(late.deliveries[0]?.status, 'IN_FLIGHT', 'taken on what this process last knew');
      await eventually(async () => (await stored(t, late.deliveryId)).status === 'PENDING');
      assert.equal(receiver.requests.filter((r) => r.headers['webhook-id'] === late.event.id).length, 0, 'read again before the send: parked');
    });

    it('hands nothing to a destination paused since: the delivery waits PENDING and goes out on resume', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: `${receiver.url}/paused` });
      await createWebhook(t, dest.id, { eventTypes: ['hand.paused'] });
      await succeeded(t, (await publish(t, { type: 'hand.paused' })).deliveryId);
      await pauseDestination(t, dest.id);
      const held = await publish(t, { type: 'hand.paused', data: { held: true } });
      assert.equal(held.deliveries[0]?.status, 'PENDING');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(receiver.requests.filter((r) => r.headers['webhook-id'] === held.event.id).length, 0, 'nothing sent while paused');
      await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { userErrors { code } } }`, { id: dest.id });
      await succeeded(t, held.deliveryId);
    });
  },
  { HOOKGRAPH_WORKER_POLL_MS: '60000' },
);

forEachDatabase(
  'dispatch: a busy dispatcher takes nothing at publish',
  (ctx) => {
    const receiver = useReceiver();

    it('writes the delivery PENDING while its only slot is taken; a claim sends it later', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: `${receiver.url}/busy` });
      await createWebhook(t, dest.id, { eventTypes: ['hand.busy'] });
      await succeeded(t, (await publish(t, { type: 'hand.busy' })).deliveryId);
      receiver.behave({ kind: 'status', status: 200, delayMs: 300 });
      const slow = await publish(t, { type: 'hand.busy', data: { n: 'slow' } });
      assert.equal(slow.deliveries[0]?.status, 'IN_FLIGHT', 'the free slot takes it');
      await eventually(async () => receiver.open === 1);
      const waiting = await publish(t, { type: 'hand.busy', data: { n: 'waiting' } });
      assert.equal(waiting.deliveries[0]?.status, 'PENDING', 'no free slot: left to a claim');
      await succeeded(t, slow.deliveryId);
      await succeeded(t, waiting.deliveryId);
      assert.equal(receiver.maxOpen, 1);
    });
  },
  // No polling: a claim in progress reserves the only slot too, and would take the hand-off's place.
  { HOOKGRAPH_WORKER_CONCURRENCY: '1', HOOKGRAPH_WORKER_POLL_MS: '60000' },
);
