import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startChildApp, runCli, type ChildApp } from '../support/child-app';
import { freshDatabase, MYSQL_SKIP_MESSAGE, type FreshDatabase } from '../support/databases';
import { eventually } from '../support/deferred';
import { Receiver } from '../support/receiver';
import { assertPaced, ClaimTimes, publishMany } from './limits-support';

/**
 * A destination's limits hold across the cluster, not per process. Two worker
 * processes share one MySQL, each publishing half the events (so each is woken for its
 * own) with room for far more requests than the limits allow.
 */
describe('mysql: rate limit and max concurrency hold across two worker processes', { skip: process.env.TEST_MYSQL_URL ? false : MYSQL_SKIP_MESSAGE }, () => {
  let receiver: Receiver;
  let db: FreshDatabase;
  let dataDir: string;
  let apps: ChildApp[] = [];
  const adminKey = `limits-admin-${randomBytes(8).toString('hex')}`;

  before(async () => {
    receiver = await Receiver.start();
    db = await freshDatabase('mysql');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-limits-'));
    const env = {
      DATABASE_URL: db.config.kind === 'mysql' ? db.config.url : '',
      HOOKGRAPH_DATA_DIR: dataDir,
      HOOKGRAPH_ADMIN_KEY: adminKey,
      HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
      HOOKGRAPH_WORKER_POLL_MS: '100',
      HOOKGRAPH_WORKER_CONCURRENCY: '16',
    };
    await runCli(['migrate'], env);
    apps = await Promise.all([startChildApp(env, adminKey), startChildApp(env, adminKey)]);
  });

  after(async () => {
    for (const app of apps) await app.kill('SIGKILL');
    await receiver?.stop();
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function limitedRoute(name: string, rateLimit: Record<string, number>): Promise<{ type: string; destinationId: string }> {
    const d = await apps[0]!.gql(
      `mutation($u: String!, $n: String!, $r: RateLimitInput!) { destinationCreate(input: { name: $n, url: $u, rateLimit: $r }) { destination { id } } }`,
      {
        u: receiver.url,
        n: name,
        r: rateLimit,
      },
    );
    const destinationId = d.data.destinationCreate.destination.id;
    const type = `${name}.happened`;
    await apps[0]!.gql(
      `mutation($d: ID!, $n: String!, $t: String!) { webhookCreate(input: { name: $n, destinationId: $d, eventTypes: [$t] }) { webhook { id } } }`,
      {
        d: destinationId,
        n: name,
        t: type,
      },
    );
    return { type, destinationId };
  }

  async function deliverAll(r: { type: string; destinationId: string }, perProcess: number): Promise<void> {
    await Promise.all(apps.map((app) => publishMany(app, r, perProcess)));
    await receiver.waitFor(2 * perProcess, 20_000);
    await eventually(
      async () => {
        const res = await apps[1]!.gql(`query($d: ID!) { deliveries(first: 1, filter: { destinationId: $d, status: [SUCCEEDED] }) { totalCount } }`, {
          d: r.destinationId,
        });
        return res.data.deliveries.totalCount === 2 * perProcess;
      },
      10_000,
      100,
    );
    assert.equal(receiver.requests.length, 2 * perProcess, 'each delivery was sent once');
  }

  it('max concurrency 3: never more than 3 requests open at once, from both processes together', async () => {
    receiver.reset();
    receiver.behave({ kind: 'status', status: 200, delayMs: 150 });
    try {
      await deliverAll(await limitedRoute('cluster-concurrency', { maxConcurrency: 3 }), 12);
      assert.equal(receiver.maxOpen, 3, `at most 3 at once, and all 3 were used (${receiver.maxOpen})`);
    } finally {
      receiver.behave({ kind: 'status', status: 200 });
    }
  });

  it('5 per second with a burst of 2: the pace holds for both processes together', async () => {
    receiver.reset();
    const r = await limitedRoute('cluster-rate', { perSecond: 5, burst: 2 });
    const claims = await ClaimTimes.watch(apps, adminKey, r.destinationId);
    try {
      await deliverAll(r, 8);
      const at = await eventually(async () => (claims.times().length === 16 ? claims.times() : null));
      assert.ok(at[15]! - at[0]! >= 2800, `16 claims at 5/s with a burst of 2 took ${at[15]! - at[0]!} ms (at least 2800 expected)`);
      assertPaced(at, 5, 2);
    } finally {
      await claims.stop();
    }
  });
});
