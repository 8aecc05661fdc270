import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { startWorkerFor, type ChildApp } from '../support/child-app';
import { databaseKinds } from '../support/databases';
import { publish } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { connected, subscribe, wsClient } from '../support/ws-client';
import { route } from './dispatch-support';
import { PROGRESS, REPLAY, startJob, type JobView } from './job-support';

const EVENTS = 6;

/**
 * Two processes on one database and no Redis: a runs a bulk job in batches, and a
 * subscriber connected to b (whose own job runner does not look for work during the test)
 * follows it to the end, from b's looks at the database (b's own changes of the job
 * would reach it directly; a's reach b only that way).
 */
for (const kind of databaseKinds()) {
  describe(`${kind}: bulkJobProgress of a job another process runs, without Redis`, () => {
    const receiver = useReceiver();
    let a: TestApp;
    let b: ChildApp;
    before(async () => {
      a = await startTestApp(kind, { HOOKGRAPH_JOB_BATCH_SIZE: '2', HOOKGRAPH_JOB_BATCH_DELAY_MS: '1000' });
      b = await startWorkerFor(a, { HOOKGRAPH_WORKER_ENABLED: 'false', HOOKGRAPH_JOB_POLL_MS: '600000' });
    });
    after(async () => {
      await b?.kill('SIGTERM');
      await a?.stop();
    });

    it('streams the job’s batches and its end to a subscriber on the other process', async () => {
      receiver.behave({ kind: 'status', status: 200 });
      const since = new Date(Date.now() - 1000).toISOString();
      const r = await route(a, receiver.url);
      for (let i = 0; i < EVENTS; i++) await publish(a, { type: r.type, data: { i } });
      const client = wsClient(b.url, a.adminKey);
      try {
        await connected(client);
        const job = await startJob(a, REPLAY, { id: r.webhookId, since });
        const stream = subscribe<{ bulkJobProgress: JobView }>(client, PROGRESS, { id: job.id });
        const seen: JobView[] = [];
        do seen.push((await stream.next(10_000)).data!.bulkJobProgress);
        while (seen.at(-1)!.status !== 'SUCCEEDED');
        const done = seen.map((p) => p.done);
        assert.deepEqual(
          done,
          [...done].sort((x, y) => x - y),
          `done never goes back: ${JSON.stringify(seen)}`,
        );
        assert.notEqual(seen[0]!.status, 'SUCCEEDED', 'subscribed while the job ran (its batches are a second apart)');
        assert.equal(seen.at(-1)!.done, EVENTS);
      } finally {
        await client.dispose();
      }
    });
  });
}
