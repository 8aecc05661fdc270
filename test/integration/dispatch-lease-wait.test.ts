import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { publishBatch } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { connected, subscribe, wsClient } from '../support/ws-client';

const UPDATES = `subscription($f: DeliveryFilter) { deliveryUpdated(filter: $f) { id status attemptCount } }`;

/**
 * A delivery claimed ahead waits for a slot; if its lease has run low meanwhile it goes
 * back to the queue unsent, and is sent later under a fresh lease, never past the lease
 * another worker may take it on. Lease 1 s: a request's timeout is cut to 0.5 s.
 */
forEachDatabase(
  'dispatch: a delivery that waited for a slot is not sent on a spent lease',
  (ctx) => {
    const receiver = useReceiver();
    let client: Client | undefined;
    after(async () => {
      await client?.dispose();
    });

    it('releases it unsent when its lease runs low, then sends it once under a new one', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: `${receiver.url}/slow`, timeoutMs: 10_000 });
      const hook = await createWebhook(t, dest.id, { eventTypes: ['lease.wait'] });
      client = wsClient(t.url, t.adminKey);
      await connected(client);
      const before = t.app.realtime.hub.stats().subscribers;
      const stream = subscribe(client, UPDATES, { f: { webhookId: hook } });
      await eventually(async () => t.app.realtime.hub.stats().subscribers > before);

      // The first request hangs past its timeout (the lease's 1 s less the margin) and holds the only slot.
      receiver.script({ kind: 'hang', delayMs: 3000 });
      // One publish, two deliveries: claimed together, one is sent, the other waits for the slot.
      await publishBatch(t, { type: 'lease.wait', syncMode: 'APPEND', rows: [{ id: 'a' }, { id: 'b' }] });
      const first = (await receiver.waitFor(1))[0]!;
      const firstId = String(first.headers['x-hookgraph-delivery-id']);

      const seen = new Map<string, string[]>();
      let waitedId = '';
      for (;;) {
        const r = await stream.next(15_000);
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        const d = r.data!.deliveryUpdated as { id: string; status: string; attemptCount: number };
        seen.set(d.id, [...(seen.get(d.id) ?? []), d.status]);
        if (d.id !== firstId) waitedId = d.id;
        if (d.id === waitedId && d.status === 'SUCCEEDED') {
          assert.equal(d.attemptCount, 1);
          break;
        }
      }
      assert.deepEqual(
        seen.get(waitedId),
        ['PENDING', 'IN_FLIGHT', 'PENDING', 'IN_FLIGHT', 'SUCCEEDED'],
        'claimed, given back unsent, claimed again, delivered',
      );
      const sent = receiver.requests.filter((r) => r.headers['x-hookgraph-delivery-id'] === waitedId);
      assert.equal(sent.length, 1, 'sent once, under its second lease');
    });
  },
  { HOOKGRAPH_WORKER_LEASE_MS: '1000', HOOKGRAPH_WORKER_CONCURRENCY: '1', HOOKGRAPH_WORKER_CLAIM_BATCH: '4', HOOKGRAPH_WORKER_POLL_MS: '50' },
);
