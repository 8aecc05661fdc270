import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Client } from 'graphql-ws';
import type { BulkRetryProgress } from '../../src/domain/delivery/bulk-retry-progress';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { connected, subscribe, wsClient } from '../support/ws-client';
import { publish } from '../support/publish';
import { readDelivery, route, waitDelivery, type Route } from './dispatch-support';
import { EVERY_TENANT } from '../../src/domain/tenant/scope';

const RETRY = `mutation($filter: DeliveryRetryFilter!, $dryRun: Boolean!) {
  deliveriesRetry(filter: $filter, dryRun: $dryRun) { matched bulkRetry { id total requeued finished error } userErrors { field code message } }
}`;
const PROGRESS = `subscription($id: ID) { bulkRetryProgress(id: $id) { id total requeued finished error } }`;

/**
 * Bulk retry through the API: a dry run counts, a run queues the FAILED and
 * CANCELLED deliveries a filter selects again (they are sent again, with their
 * webhook-id), and bulkRetryProgress streams how far it got over graphql-ws.
 */
forEachDatabase(
  'bulk retry',
  (ctx) => {
    const refusing = useReceiver();
    refusing.behave({ kind: 'status', status: 400 });
    const clients: Client[] = [];
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
    });

    async function failed(t: TestApp, r: Route, n: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await publish(t, { type: r.type, data: { i } })).deliveryId);
      for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'FAILED');
      return ids;
    }

    async function client(t: TestApp): Promise<Client> {
      const c = wsClient(t.url, t.adminKey);
      clients.push(c);
      await connected(c);
      return c;
    }

    it('counts in a dry run, then queues again what the filter selects and streams the progress', async () => {
      const t = ctx();
      const chosen = await route(t, refusing.url);
      const other = await route(t, refusing.url);
      const ids = await failed(t, chosen, 3);
      const untouched = await failed(t, other, 2);

      const dry = (await t.gql(RETRY, { filter: { destinationId: chosen.destinationId }, dryRun: true })).data.deliveriesRetry;
      assert.deepEqual(dry, { matched: 3, bulkRetry: null, userErrors: [] });
      assert.equal((await t.gql(RETRY, { filter: {}, dryRun: true })).data.deliveriesRetry.matched, 5);
      assert.equal((await readDelivery(t, ids[0]!)).attemptCount, 1, 'a dry run changes nothing');

      const c = await client(t);
      const subscribers = t.app.realtime.hub.stats().subscribers;
      const stream = subscribe(c, PROGRESS, {});
      await eventually(async () => t.app.realtime.hub.stats().subscribers > subscribers);
      const requestsBefore = refusing.requests.length;
      const started = (await t.gql(RETRY, { filter: { destinationId: chosen.destinationId }, dryRun: false })).data.deliveriesRetry;
      assert.equal(started.matched, 3);
      assert.deepEqual({ ...started.bulkRetry, id: undefined }, { id: undefined, total: 3, requeued: 0, finished: false, error: null });
      const jobId = started.bulkRetry.id as string;

      let last: BulkRetryProgress;
      do last = (await stream.next(10_000)).data!.bulkRetryProgress as BulkRetryProgress;
      while (!last.finished);
      assert.deepEqual(last, { id: jobId, total: 3, requeued: 3, finished: true, error: null });

      // Queued again and sent again (the receiver still refuses: FAILED after a second attempt).
      for (const id of ids) {
        const d = await waitDelivery(t, id, (v) => v.attemptCount === 2 && v.status === 'FAILED');
        assert.equal(d.trigger, 'MANUAL_RETRY');
      }
      for (const id of untouched) assert.equal((await readDelivery(t, id)).attemptCount, 1);
      const resent = refusing.requests.slice(requestsBefore);
      assert.equal(resent.length, 3);
      const eventIds = await Promise.all(ids.map(async (id) => (await readDelivery(t, id)).event.id));
      assert.deepEqual(resent.map((r) => r.headers['webhook-id']).sort(), eventIds.sort(), 'the same webhook-id as the first attempt');

      // A subscriber that comes after the job ended gets its final state at once.
      const late = subscribe(c, PROGRESS, { id: jobId });
      assert.deepEqual((await late.next(5000)).data!.bulkRetryProgress, last);
      late.stop();
      stream.stop();
      await eventually(async () => t.app.realtime.hub.stats().subscribers === subscribers, 5000);
    });

    it('refuses statuses that cannot be retried and an empty time range, and runs an empty job to its end', async () => {
      const t = ctx();
      const refused = async (filter: Record<string, unknown>) => (await t.gql(RETRY, { filter, dryRun: true })).data.deliveriesRetry.userErrors;
      assert.deepEqual(
        (await refused({ status: ['SUCCEEDED'] })).map((e: { field: string[]; code: string }) => [e.field, e.code]),
        [[['filter', 'status'], 'INVALID_FILTER']],
      );
      const at = new Date().toISOString();
      assert.deepEqual((await refused({ createdAfter: at, createdBefore: at }))[0].field, ['filter', 'createdBefore']);
      assert.deepEqual((await refused({ webhookId: 'dst_01ARZ3NDEKTSV4RRFFQ69G5FAV' }))[0].field, ['filter', 'webhookId']);

      const before = new Date(Date.now() - 60_000).toISOString();
      const empty = (await t.gql(RETRY, { filter: { createdBefore: before }, dryRun: false })).data.deliveriesRetry;
      assert.equal(empty.matched, 0);
      await eventually(async () => t.app.services.bulkRetries.latest(empty.bulkRetry.id)?.finished === true);
    });

    it('works in batches, and skips a delivery that was retried alone meanwhile', async () => {
      const t = ctx();
      const r = await route(t, refusing.url);
      const ids = await failed(t, r, 5);
      const progress: BulkRetryProgress[] = [];
      const off = t.app.services.signals.on('bulkRetryProgress', (p) => progress.push(p));
      try {
        // Retried alone between the count and the batches: it is PENDING when its batch comes.
        const { progress: job } = await t.app.services.bulkRetries.start({ destinationId: r.destinationId });
        await t.app.services.deliveries.retry(ids[4]!, EVERY_TENANT).catch(() => undefined);
        await eventually(async () => progress.at(-1)?.finished === true, 10_000);
        assert.equal(job.total, 5);
        const steps = progress.filter((p) => p.id === job.id && p.requeued > 0).map((p) => [p.requeued, p.finished]);
        assert.deepEqual(steps.slice(0, 2), [
          [2, false],
          [4, false],
        ]);
        assert.ok([4, 5].includes(steps.at(-1)![0] as number) && steps.at(-1)![1] === true, JSON.stringify(steps));
      } finally {
        off();
      }
    });
  },
  { HOOKGRAPH_JOB_BATCH_SIZE: '2' },
);
