import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChildApp } from '../support/child-app';
import { useChildSuite } from '../support/child-suite';
import { databaseKinds } from '../support/databases';
import { eventually } from '../support/deferred';
import { publishBatch } from '../support/publish';
import { Receiver } from '../support/receiver';
import { RECOVER, REPLAY, startJob, waitJob, type JobView } from './job-support';

const EVENTS = 12;
const FAILING = 8;

/** Jobs slow enough to be killed mid-way: two items a batch, a pause after each; a lease that lapses soon after a kill. */
const SLOW_JOBS = { HOOKGRAPH_JOB_BATCH_SIZE: '2', HOOKGRAPH_JOB_BATCH_DELAY_MS: '400', HOOKGRAPH_JOB_LEASE_MS: '1500', HOOKGRAPH_JOB_POLL_MS: '100' };

const DELIVERIES = `query($f: DeliveryFilter) { deliveries(first: 100, filter: $f) { totalCount nodes { id status trigger attemptCount event { id } } } }`;

interface DeliveryRow {
  id: string;
  status: string;
  trigger: string;
  attemptCount: number;
  event: { id: string };
}

for (const kind of databaseKinds()) {
  describe(`${kind}: bulk jobs survive SIGKILL and finish in another process`, () => {
    const suite = useChildSuite(kind, { HOOKGRAPH_WORKER_POLL_MS: '200' });
    let accepting: Receiver;
    let refusing: Receiver;

    before(async () => {
      accepting = await Receiver.start();
      refusing = await Receiver.start();
      refusing.behave({ kind: 'status', status: 400 });
    });

    after(async () => {
      await accepting.stop();
      await refusing.stop();
    });

    const start = (extra: Record<string, string>) => suite.start(extra);
    /** The webhook and window of the first test, replayed again by the second. */
    let replayed: { webhookId: string; since: string } | undefined;

    /** Kills `child` once the job has done part of its work (at least one batch, not all). */
    async function killMidway(child: ChildApp, jobId: string): Promise<JobView> {
      const seen = await waitJob(child, jobId, (j) => j.status === 'RUNNING' && j.done >= 2);
      assert.equal(await child.kill('SIGKILL'), 'SIGKILL');
      assert.ok(seen.done < seen.total, `the job was still running at the kill: ${JSON.stringify(seen)}`);
      return seen;
    }

    async function deliveries(child: ChildApp, filter: Record<string, unknown>): Promise<DeliveryRow[]> {
      const res = await child.gql(DELIVERIES, { f: filter });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      return res.data.deliveries.nodes;
    }

    it('replays every event exactly once and re-queues every FAILED delivery exactly once', async () => {
      // Setup, with the delivery engine: EVENTS delivered through one webhook, FAILING failed on another destination.
      const setup = await start({});
      const gql = async (query: string, variables: Record<string, unknown>) => (await setup.gql(query, variables)).data;
      const since = new Date(Date.now() - 1000).toISOString();
      const make = async (url: string, type: string) => {
        const d = await gql(`mutation($u: String!, $n: String!) { destinationCreate(input: { name: $n, url: $u }) { destination { id } } }`, {
          u: url,
          n: type,
        });
        const destinationId = d.destinationCreate.destination.id as string;
        const w = await gql(`mutation($d: ID!, $t: String!) { webhookCreate(input: { name: $t, destinationId: $d, eventTypes: [$t] }) { webhook { id } } }`, {
          d: destinationId,
          t: type,
        });
        return { destinationId, webhookId: w.webhookCreate.webhook.id as string };
      };
      const good = await make(accepting.url, 'load.good');
      replayed = { webhookId: good.webhookId, since };
      const bad = await make(refusing.url, 'load.bad');
      const eventIds = await publishBatch(setup, { type: 'load.good', syncMode: 'UPSERT', rows: Array.from({ length: EVENTS }, (_, i) => ({ id: `g-${i}` })) });
      await publishBatch(setup, { type: 'load.bad', syncMode: 'UPSERT', rows: Array.from({ length: FAILING }, (_, i) => ({ id: `b-${i}` })) });
      await eventually(async () => (await deliveries(setup, { status: ['SUCCEEDED'] })).length === EVENTS, 20_000, 100);
      await eventually(async () => (await deliveries(setup, { status: ['FAILED'] })).length === FAILING, 20_000, 100);
      assert.equal(await setup.kill('SIGTERM'), 0, setup.output());

      // Without the delivery engine while jobs are killed: what recover queues is sent only at the end, once.
      const first = await start({ ...SLOW_JOBS, HOOKGRAPH_WORKER_ENABLED: 'false' });
      const replay = await startJob(first, REPLAY, { id: good.webhookId, since });
      assert.equal(replay.total, EVENTS);
      await killMidway(first, replay.id);

      // The second takes the replay over once its lease lapsed and finishes it; the recover
      // starts only then, so that this process is the one running it when it is killed.
      const second = await start({ ...SLOW_JOBS, HOOKGRAPH_WORKER_ENABLED: 'false' });
      const resumed = await waitJob(second, replay.id, (j) => j.status === 'SUCCEEDED');
      assert.deepEqual([resumed.done, resumed.total], [EVENTS, EVENTS]);
      const recover = await startJob(second, RECOVER, { id: bad.destinationId, since });
      assert.equal(recover.total, FAILING);
      await killMidway(second, recover.id);

      const third = await start({ HOOKGRAPH_JOB_LEASE_MS: '1500', HOOKGRAPH_JOB_POLL_MS: '100' });
      const recovered = await waitJob(third, recover.id, (j) => j.status === 'SUCCEEDED');
      assert.deepEqual([recovered.done, recovered.total], [FAILING, FAILING]);

      const replays = (await deliveries(third, { webhookId: good.webhookId })).filter((d) => d.trigger === 'REPLAY');
      assert.deepEqual(replays.map((d) => d.event.id).sort(), [...eventIds].sort(), 'every event replayed exactly once');
      // Each FAILED delivery queued again once and sent once more: two attempts, no third.
      const failed = await eventually(
        async () => {
          const rows = await deliveries(third, { destinationId: bad.destinationId });
          return rows.every((d) => d.status === 'FAILED' && d.attemptCount === 2) ? rows : null;
        },
        20_000,
        100,
      );
      assert.equal(failed.length, FAILING);
      assert.ok(failed.every((d) => d.trigger === 'MANUAL_RETRY'));
      assert.equal(refusing.requests.length, 2 * FAILING, 'no delivery was sent a third time');
      assert.equal(await third.kill('SIGTERM'), 0, third.output());
    });

    it('a SIGTERM hands the running job back to the queue, and the next process resumes it at once', async () => {
      assert.ok(replayed, 'the first test ran');
      // A lease of a minute: a job not handed back could not be resumed within the wait below.
      const longLease = { ...SLOW_JOBS, HOOKGRAPH_JOB_LEASE_MS: '60000', HOOKGRAPH_WORKER_ENABLED: 'false' };
      const stopping = await start(longLease);
      const job = await startJob(stopping, REPLAY, { id: replayed.webhookId, since: replayed.since });
      await waitJob(stopping, job.id, (j) => j.status === 'RUNNING' && j.done >= 2);
      assert.equal(await stopping.kill('SIGTERM'), 0, stopping.output());
      const next = await start(longLease);
      const done = await waitJob(next, job.id, (j) => j.status === 'SUCCEEDED', 15_000);
      assert.deepEqual([done.done, done.total], [EVENTS, EVENTS]);
      const replays = (await deliveries(next, { webhookId: replayed.webhookId })).filter((d) => d.trigger === 'REPLAY');
      assert.equal(replays.length, 2 * EVENTS, 'each of the two replay jobs replayed every event once');
      assert.equal(await next.kill('SIGTERM'), 0, next.output());
    });
  });
}
