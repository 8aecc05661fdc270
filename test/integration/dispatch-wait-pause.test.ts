import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Database } from '../../src/database/database';
import { createDestination, createWebhook, pauseDestination } from '../support/fixtures';
import { eventually } from '../support/deferred';
import { publishBatch } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';

/**
 * Deliveries claimed ahead wait for a slot. A destination paused meanwhile must not
 * receive them when the slot frees: they go back to the queue unsent, and out once it
 * is ACTIVE again.
 */
forEachDatabase(
  'dispatch: pausing a destination holds its deliveries waiting for a slot',
  (ctx) => {
    const receiver = useReceiver();

    it('sends nothing more to it after the pause, and the held delivery once it is ACTIVE', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: `${receiver.url}/paused-later`, timeoutMs: 10_000 });
      await createWebhook(t, dest.id, { eventTypes: ['pause.wait'] });
      const statuses = async () => {
        const res = await t.gql(`query($d: ID) { deliveries(filter: { destinationId: $d }) { nodes { id status attemptCount } } }`, { d: dest.id });
        return res.data.deliveries.nodes as { id: string; status: string; attemptCount: number }[];
      };
      // The first request holds the only slot for a while; the second delivery waits for it.
      receiver.script({ kind: 'status', status: 200, delayMs: 700 });
      await publishBatch(t, { type: 'pause.wait', syncMode: 'APPEND', rows: [{ id: 'a' }, { id: 'b' }] });
      const first = (await receiver.waitFor(1))[0]!;
      const firstId = String(first.headers['x-hookgraph-delivery-id']);
      await eventually(async () => {
        const nodes = await statuses();
        return nodes.length === 2 && nodes.every((n) => n.status === 'IN_FLIGHT') ? nodes : null;
      });

      await pauseDestination(t, dest.id);
      const settled = await eventually(async () => {
        const nodes = await statuses();
        const done = nodes.find((n) => n.id === firstId);
        return done?.status === 'SUCCEEDED' ? nodes : null;
      });
      // The slot is free: give the dispatcher the chance to (wrongly) use it.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(receiver.requests.length, 1, 'nothing reached the destination after its pause');
      const held = settled.find((n) => n.id !== firstId)!;
      assert.deepEqual(
        (await statuses()).find((n) => n.id === held.id),
        { id: held.id, status: 'PENDING', attemptCount: 0 },
      );

      const resumed = await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { userErrors { code } } }`, { id: dest.id });
      assert.deepEqual(resumed.data.destinationUpdate.userErrors, []);
      const second = (await receiver.waitFor(2, 5000))[1]!;
      assert.equal(second.headers['x-hookgraph-delivery-id'], held.id);
    });

    it('also when another process paused it (seen through the claims’ list of inactive destinations)', async () => {
      const t = ctx();
      receiver.reset();
      const dest = await createDestination(t, { url: `${receiver.url}/paused-elsewhere`, timeoutMs: 10_000 });
      await createWebhook(t, dest.id, { eventTypes: ['pause.elsewhere'] });
      // Longer than the list's 1 s lifetime: the claims read it again while the slot is taken.
      receiver.script({ kind: 'status', status: 200, delayMs: 1800 });
      await publishBatch(t, { type: 'pause.elsewhere', syncMode: 'APPEND', rows: [{ id: 'a' }, { id: 'b' }] });
      const first = (await receiver.waitFor(1))[0]!;
      const firstId = String(first.headers['x-hookgraph-delivery-id']);
      // Another process's API: the row changes, no signal reaches this one.
      const other = await Database.open(t.config.database);
      try {
        await other.dataSource.query(`UPDATE destinations SET status = 'PAUSED' WHERE id = ?`, [dest.id]);
      } finally {
        await other.close();
      }
      const done = await eventually(async () => {
        const res = await t.gql(`query($d: ID) { deliveries(filter: { destinationId: $d }) { nodes { id status attemptCount } } }`, { d: dest.id });
        const nodes = res.data.deliveries.nodes as { id: string; status: string; attemptCount: number }[];
        return nodes.find((n) => n.id === firstId)?.status === 'SUCCEEDED' ? nodes : null;
      }, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(receiver.requests.length, 1, 'nothing reached the destination after its pause');
      const held = done.find((n) => n.id !== firstId)!;
      const now = await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status attemptCount } } }`, { id: held.id });
      assert.deepEqual(now.data.node, { status: 'PENDING', attemptCount: 0 });
    });
  },
  { HOOKGRAPH_WORKER_CONCURRENCY: '1', HOOKGRAPH_WORKER_CLAIM_BATCH: '4', HOOKGRAPH_WORKER_POLL_MS: '50' },
);
