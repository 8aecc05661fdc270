import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../support/databases';
import { eventually } from '../support/deferred';
import { publish } from '../support/publish';
import { Receiver } from '../support/receiver';
import { useTwoProcesses } from '../support/two-processes';
import { connected, subscribe, wsClient } from '../support/ws-client';
import { route } from './dispatch-support';

type Seen = { id: string; status: string; version: number };
const UPDATES = `subscription($f: DeliveryFilter) { deliveryUpdated(filter: $f) { id status version } }`;
const DELIVERIES = 12;

/**
 * Two processes on one database and Redis: b publishes and retries (no dispatcher), a's
 * dispatcher claims and sends. Each process announces its own changes, so a subscriber
 * on b gets them in the order Redis hands them over, not always the order they were
 * made (b's creation or retry can arrive after a's claim of it). What it sees of each
 * delivery must still only move forward, and end with what the database holds.
 */
for (const kind of databaseKinds()) {
  describe(`${kind}: deliveryUpdated across processes, in version order`, () => {
    const started = useTwoProcesses(kind, true);
    let receiver: Receiver;
    before(async () => {
      receiver = await Receiver.start();
    });
    after(() => receiver.stop());

    it('never sends a delivery older than one it sent, and ends with the version stored', async (tc) => {
      const processes = started(tc);
      if (!processes) return;
      const { a, b } = processes;
      receiver.behave({ kind: 'status', status: 500 });
      const r = await route(a, receiver.url, { retryPolicy: { maxAttempts: 1 } });
      const client = wsClient(b.url, a.adminKey);
      try {
        await connected(client);
        const stream = subscribe<{ deliveryUpdated: Seen }>(client, UPDATES, { f: { webhookId: r.webhookId } });
        const ids = await Promise.all(Array.from({ length: DELIVERIES }, async () => (await publish(b, { type: r.type })).deliveryId));
        await eventually(async () => allAre(await statuses(b, r.webhookId), 'FAILED'), 20_000);

        receiver.behave({ kind: 'status', status: 200 });
        await Promise.all(
          ids.map(async (id) => {
            const res = await b.gql(`mutation($id: ID!) { deliveryRetry(id: $id) { userErrors { message } } }`, { id });
            assert.deepEqual(res.data.deliveryRetry.userErrors, []);
          }),
        );
        await eventually(async () => allAre(await statuses(b, r.webhookId), 'SUCCEEDED'), 20_000);
        const stored = new Map((await statuses(b, r.webhookId)).map((d) => [d.id, d]));

        const last = new Map<string, Seen>();
        const ended = () => ids.every((id) => last.get(id)?.version === stored.get(id)!.version);
        while (!ended()) {
          const seen = (await stream.next(10_000)).data!.deliveryUpdated;
          const before = last.get(seen.id);
          assert.ok(!before || seen.version > before.version, `${seen.id}: ${JSON.stringify(seen)} after ${JSON.stringify(before)}`);
          last.set(seen.id, seen);
        }
        for (const id of ids) assert.equal(last.get(id)!.status, 'SUCCEEDED');
      } finally {
        await client.dispose();
      }
    });
  });
}

const allAre = (deliveries: Seen[], status: string) => deliveries.length === DELIVERIES && deliveries.every((d) => d.status === status);

/** The webhook's deliveries as the database holds them now. */
async function statuses(on: { gql: (q: string, v?: Record<string, unknown>) => Promise<{ data?: any }> }, webhookId: string): Promise<Seen[]> {
  const res = await on.gql(`query($w: ID!) { deliveries(first: 100, filter: { webhookId: $w }) { nodes { id status version } } }`, { w: webhookId });
  return res.data.deliveries.nodes as Seen[];
}
