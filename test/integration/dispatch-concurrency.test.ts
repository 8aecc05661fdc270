import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { eventually } from '../support/deferred';
import { Receiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish, route } from './dispatch-support';

const CONCURRENCY = 3;

forEachDatabase(
  'dispatch: concurrency bounds the deliveries in flight',
  (ctx) => {
    let receiver: Receiver;
    before(async () => {
      receiver = await Receiver.start();
    });
    after(() => receiver.stop());

    it(`keeps ${CONCURRENCY} requests open at once, never more, until the backlog is delivered`, async () => {
      const app = ctx();
      const r = await route(app, receiver.url);
      receiver.behave({ kind: 'status', status: 200, delayMs: 150 });
      const ids: string[] = [];
      for (let i = 0; i < 4 * CONCURRENCY; i++) ids.push((await publish(app, r.type, { i })).deliveryId);
      await receiver.waitFor(ids.length, 10_000);
      assert.equal(receiver.maxOpen, CONCURRENCY, `at most ${CONCURRENCY} requests at once, and the slots were used`);
      await eventually(async () => {
        const res = await app.gql(`{ deliveries(first: 50, filter: { status: [SUCCEEDED] }) { totalCount } }`);
        return res.data.deliveries.totalCount >= ids.length;
      });
    });
  },
  { HOOKGRAPH_WORKER_CONCURRENCY: String(CONCURRENCY), HOOKGRAPH_WORKER_POLL_MS: '50' },
);
