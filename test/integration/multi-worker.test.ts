import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startChildApp, runCli, type ChildApp } from '../support/child-app';
import { freshDatabase, MYSQL_SKIP_MESSAGE, type FreshDatabase } from '../support/databases';
import { eventually } from '../support/deferred';
import { publishBatch } from '../support/publish';
import { Receiver } from '../support/receiver';

const EVENTS = 200;
const CONCURRENCY = 8;

describe('mysql: two worker processes on one database deliver each event once', { skip: process.env.TEST_MYSQL_URL ? false : MYSQL_SKIP_MESSAGE }, () => {
  let receiver: Receiver;
  let db: FreshDatabase;
  let dataDir: string;
  const children: ChildApp[] = [];
  const adminKey = `multi-admin-${randomBytes(8).toString('hex')}`;
  let env: Record<string, string>;

  before(async () => {
    receiver = await Receiver.start();
    db = await freshDatabase('mysql');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-multi-'));
    env = {
      DATABASE_URL: db.config.kind === 'mysql' ? db.config.url : '',
      HOOKGRAPH_DATA_DIR: dataDir,
      HOOKGRAPH_ADMIN_KEY: adminKey,
      HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
      HOOKGRAPH_WORKER_POLL_MS: '50',
      HOOKGRAPH_WORKER_CONCURRENCY: String(CONCURRENCY),
      HOOKGRAPH_WORKER_CLAIM_BATCH: '4',
    };
    await runCli(['migrate'], env);
  });

  after(async () => {
    for (const c of children) await c.kill('SIGKILL');
    await receiver.stop();
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every event arrives exactly once, sent by both processes', async () => {
    receiver.behave({ kind: 'status', status: 200, delayMs: 15 });
    const [a, b] = await Promise.all([startChildApp(env, adminKey), startChildApp(env, adminKey)]);
    children.push(a, b);
    const dest = await a.gql(`mutation($u: String!) { destinationCreate(input: { name: "multi", url: $u }) { destination { id } } }`, { u: receiver.url });
    await a.gql(`mutation($d: ID!) { webhookCreate(input: { name: "multi", destinationId: $d, eventTypes: ["multi.*"] }) { webhook { id } } }`, {
      d: dest.data.destinationCreate.destination.id,
    });
    const rows = Array.from({ length: EVENTS / 2 }, (_, i) => ({ id: `row-${i}` }));
    // Half published through each process, so each is woken in-process for its own.
    const eventIds = (await Promise.all([a, b].map((app) => publishBatch(app, { type: 'multi.row', syncMode: 'APPEND', rows })))).flat();
    await receiver.waitFor(EVENTS, 30_000);
    await eventually(
      async () => {
        const res = await a.gql(`{ deliveries(first: 1, filter: { status: [SUCCEEDED] }) { totalCount } }`);
        return res.data.deliveries.totalCount === EVENTS;
      },
      10_000,
      100,
    );
    await new Promise((r) => setTimeout(r, 300));
    const ids = receiver.requests.map((r) => r.headers['webhook-id'] as string);
    assert.equal(ids.length, EVENTS, 'no event was sent twice');
    assert.deepEqual(new Set(ids), new Set(eventIds));
    const sockets = new Set(receiver.requests.map((r) => r.remotePort));
    assert.ok(sockets.size > CONCURRENCY, `${sockets.size} client sockets: more than one process sent (each holds at most ${CONCURRENCY})`);
    assert.equal(await a.kill('SIGTERM'), 0, a.output());
    assert.equal(await b.kill('SIGTERM'), 0, b.output());
  });
});
