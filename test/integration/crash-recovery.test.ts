import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UNRECORDED_SLOTS } from '../../src/dispatch/request-slots';
import { useChildSuite } from '../support/child-suite';
import { databaseKinds } from '../support/databases';
import { eventually } from '../support/deferred';
import { publishBatch } from '../support/publish';
import { Receiver } from '../support/receiver';

const EVENTS = 150;
const CONCURRENCY = 16;

for (const kind of databaseKinds()) {
  describe(`${kind}: crash recovery: SIGKILL mid-load, restart`, () => {
    const suite = useChildSuite(kind, {
      HOOKGRAPH_WORKER_LEASE_MS: '2000',
      HOOKGRAPH_WORKER_POLL_MS: '200',
      HOOKGRAPH_WORKER_CONCURRENCY: String(CONCURRENCY),
    });
    let receiver: Receiver;

    before(async () => {
      receiver = await Receiver.start();
    });

    after(async () => {
      await receiver.stop();
    });

    it('loses nothing: every event delivered, duplicates only for in-flight attempts, same webhook-id', async () => {
      receiver.behave({ kind: 'status', status: 200, delayMs: 30 });
      const first = await suite.start();
      const dest = await first.gql(`mutation($u: String!) { destinationCreate(input: { name: "crash", url: $u, timeoutMs: 1000 }) { destination { id } } }`, {
        u: receiver.url,
      });
      const destinationId = dest.data.destinationCreate.destination.id;
      await first.gql(`mutation($d: ID!) { webhookCreate(input: { name: "crash", destinationId: $d, eventTypes: ["load.*"] }) { webhook { id } } }`, {
        d: destinationId,
      });
      const rows = Array.from({ length: EVENTS }, (_, i) => ({ id: `row-${i}` }));
      const eventIds = new Set(await publishBatch(first, { type: 'load.row', syncMode: 'UPSERT', rows }));
      assert.equal(eventIds.size, EVENTS);

      const killAt = 20 + Math.floor(Math.random() * 60);
      await receiver.waitFor(killAt, 20_000);
      assert.equal(await first.kill('SIGKILL'), 'SIGKILL');
      const atKill = receiver.requests.length;
      assert.ok(atKill < EVENTS, `the load was still running at the kill (${atKill} received)`);

      const second = await suite.start();
      await eventually(async () => new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size === EVENTS, 30_000, 100);
      const done = await eventually(
        async () => {
          const res = await second.gql(`{ deliveries(first: 1, filter: { status: [SUCCEEDED] }) { totalCount } }`);
          return res.data.deliveries.totalCount === EVENTS ? res.data : null;
        },
        10_000,
        100,
      );
      assert.ok(done);

      for (const r of receiver.requests) {
        const id = r.headers['webhook-id'] as string;
        assert.ok(eventIds.has(id), `unknown webhook-id ${id}`);
        assert.equal(JSON.parse(r.body).id, id, 'the body and webhook-id name the same event');
      }
      const duplicates = receiver.requests.length - EVENTS;
      // In flight at the kill: on the wire, or answered and waiting for the result's commit; at most UNRECORDED_SLOTS × CONCURRENCY in all.
      const bound = UNRECORDED_SLOTS * CONCURRENCY;
      assert.ok(duplicates <= bound, `${duplicates} duplicates: at most the ${bound} attempts in flight at the kill`);

      // A graceful stop (SIGTERM) exits cleanly with nothing left in flight.
      assert.equal(await second.kill('SIGTERM'), 0, second.output());
    });
  });
}
