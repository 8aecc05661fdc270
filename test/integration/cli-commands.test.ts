import assert from 'node:assert/strict';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { version } from '../../package.json';
import type { TestApp } from '../support/app';
import { runCli } from '../support/child';
import { eventually } from '../support/deferred';
import { createKey } from '../support/fixtures';
import { useReceiver } from '../support/receiver';
import { TcpProxy } from '../support/tcp-proxy';
import { forEachDatabase } from '../support/suite';
import { route, waitDelivery } from './dispatch-support';

interface Run {
  code: number | string;
  stdout: string;
  stderr: string;
}

/** `hookgraph <args>` against the suite's server, with the admin key unless `env` says otherwise. */
async function hookgraph(t: TestApp, args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
  const child = runCli(args, { HOOKGRAPH_URL: t.url, HOOKGRAPH_KEY: t.adminKey, ...env }, stdin);
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-cli-commands-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * The `hookgraph` command line as a script runs it: the built CLI as a child process
 * against a real server, its output and its exit code.
 */
forEachDatabase('the hookgraph command line against a server', (ctx) => {
  const receiver = useReceiver();

  it('prints its version; an unknown command is an error, not a serve', async () => {
    const t = ctx();
    const v = await hookgraph(t, ['--version']);
    assert.equal(v.code, 0);
    assert.equal(v.stdout.trim(), version);
    const unknown = await hookgraph(t, ['bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'bogus'/);
    assert.doesNotMatch(unknown.stderr, /hookgraph is running/);
  });

  it('keys create, list and revoke; a revoked key then gets exit code 3', async () => {
    const t = ctx();
    const created = await hookgraph(t, ['keys', 'create', '--role', 'publisher', '--name', 'ci', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const { apiKey, key } = JSON.parse(created.stdout);
    assert.equal(apiKey.role, 'PUBLISHER');
    assert.match(key, /^hg_/);

    const listed = await hookgraph(t, ['keys', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(JSON.parse(listed.stdout).some((k: { id: string; name: string }) => k.id === apiKey.id && k.name === 'ci'));
    const table = await hookgraph(t, ['keys', 'list']);
    assert.match(table.stdout, new RegExp(`${apiKey.id}\\s+ci\\s+PUBLISHER`));

    const usedBefore = await hookgraph(t, ['publish', 'key.used', '--json'], { HOOKGRAPH_KEY: key });
    assert.equal(usedBefore.code, 0, usedBefore.stderr);
    const revoked = await hookgraph(t, ['keys', 'revoke', apiKey.id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout.trim(), `revoked ${apiKey.id}`);
    const usedAfter = await hookgraph(t, ['publish', 'key.used'], { HOOKGRAPH_KEY: key });
    assert.equal(usedAfter.code, 3);
    assert.match(usedAfter.stderr, /UNAUTHENTICATED/);

    const again = await hookgraph(t, ['keys', 'revoke', 'key_doesnotexist']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /NOT_FOUND/);
    const badRole = await hookgraph(t, ['keys', 'create', '--role', 'owner']);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role must be one of ADMIN, PUBLISHER, VIEWER/);
  });

  it('a VIEWER key that may not publish, and a server that is not there, exit 3', async () => {
    const t = ctx();
    const viewer = await hookgraph(t, ['publish', 'not.allowed'], { HOOKGRAPH_KEY: await createKey(t, 'VIEWER') });
    assert.equal(viewer.code, 3);
    assert.match(viewer.stderr, /FORBIDDEN/);
    const away = await hookgraph(t, ['destinations', 'list', '--url', `http://127.0.0.1:${await closedPort()}`]);
    assert.equal(away.code, 3);
    assert.match(away.stderr, /cannot reach/);
  });

  it('destinations list and test: exit 0 when the test send succeeds, 1 when it fails', async () => {
    const t = ctx();
    const ok = await route(t, receiver.url);
    const refused = await route(t, `http://127.0.0.1:${await closedPort()}/hooks`);
    const listed = await hookgraph(t, ['destinations', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const ids = JSON.parse(listed.stdout).map((d: { id: string }) => d.id);
    assert.ok(ids.includes(ok.destinationId) && ids.includes(refused.destinationId));

    const before = receiver.requests.length;
    const sent = await hookgraph(t, ['destinations', 'test', ok.destinationId, '--data', '{"hello":"cli"}', '--json']);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(JSON.parse(sent.stdout).attempt.outcome, 'SUCCESS');
    assert.equal(JSON.parse(receiver.requests[before]!.body).data.hello, 'cli');

    const failed = await hookgraph(t, ['destinations', 'test', refused.destinationId]);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /^CONNECTION_ERROR/);
    const badJson = await hookgraph(t, ['destinations', 'test', ok.destinationId, '--data', '{nope']);
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, /--data is not valid JSON/);
  });

  it('publish TYPE: published, then replayed by its idempotency key; a refused type exits 1', async () => {
    const t = ctx();
    const r = await route(t, receiver.url);
    const args = ['publish', r.type, '--data', '{"id":7}', '--entity-id', 'ent-7', '--idempotency-key', 'cli-once', '--json'];
    const first = await hookgraph(t, args);
    assert.equal(first.code, 0, first.stderr);
    const published = JSON.parse(first.stdout);
    assert.equal(published.replayed, false);
    assert.equal(published.event.entityId, 'ent-7');
    assert.equal(published.deliveries.length, 1);
    const second = JSON.parse((await hookgraph(t, args)).stdout);
    assert.equal(second.replayed, true);
    assert.equal(second.event.id, published.event.id);

    const text = await hookgraph(t, ['publish', r.type]);
    assert.match(text.stdout, /^published evt_\S+ \(1 delivery\)/);
    const refused = await hookgraph(t, ['publish', 'Not A Type']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /INVALID/);
  });

  it('publish --file: 10,000 lines in batches, a malformed line refused by number; a second run replays them', async () => {
    const t = ctx();
    const file = path.join(tmp, `events-${Date.now()}.ndjson`);
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({ type: 'bulk.row', data: { i }, entityId: `row-${i}`, idempotencyKey: `bulk-${i}` }),
    );
    lines.splice(5000, 0, '{"type": "bulk.row", "data": '); // line 5001
    fs.writeFileSync(file, lines.join('\n') + '\n');

    const first = await hookgraph(t, ['publish', '--file', file, '--json']);
    assert.equal(first.code, 1, 'a refused line makes the run fail');
    assert.deepEqual(JSON.parse(first.stdout), { published: 10_000, replayed: 0, refused: 1 });
    assert.match(first.stderr, /^line 5001: not JSON/m);
    assert.doesNotMatch(first.stderr, /\r|\[=*/, 'no progress bar when stderr is not a terminal');
    const count = await t.gql(`{ events(type: ["bulk.row"]) { totalCount } }`);
    assert.equal(count.data.events.totalCount, 10_000);

    const second = await hookgraph(t, ['publish', '--file', file]);
    assert.equal(second.code, 1);
    assert.equal(second.stdout.trim(), 'published 0, replayed 10000, refused 1');
  });

  it('publish from stdin: each line its own type; a line the server refuses is reported by number, the rest published', async () => {
    const t = ctx();
    const stdin = [
      JSON.stringify({ type: 'stdin.first', data: { n: 1 } }),
      '',
      JSON.stringify({ type: 'stdin.second', entityId: 'e2' }),
      JSON.stringify({ type: 'Bad Type' }),
      JSON.stringify({ type: 'stdin.third', idempotencyKey: 42 }),
    ].join('\n');
    const run = await hookgraph(t, ['publish', '--json'], {}, stdin);
    assert.equal(run.code, 1);
    assert.deepEqual(JSON.parse(run.stdout), { published: 2, replayed: 0, refused: 2 });
    assert.match(run.stderr, /^line 4: type: .*INVALID/m);
    assert.match(run.stderr, /^line 5: "idempotencyKey" must be a string/m);
    const types = await t.gql(`{ events(type: ["stdin.first", "stdin.second", "stdin.third"]) { nodes { type entityId } } }`);
    assert.deepEqual(types.data.events.nodes.map((e: { type: string }) => e.type).sort(), ['stdin.first', 'stdin.second']);
  });

  it('deliveries list and retry by id and by filter (dry run, then a bulk retry followed to its end)', async () => {
    const t = ctx();
    const r = await route(t, `http://127.0.0.1:${await closedPort()}/hooks`, { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [] } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await hookgraph(t, ['publish', r.type, '--data', JSON.stringify({ i }), '--json']);
      ids.push(JSON.parse(run.stdout).deliveries[0].id);
    }
    for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'FAILED');

    const listed = await hookgraph(t, ['deliveries', 'list', '--status', 'failed', '--destination', r.destinationId, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout)
        .map((d: { id: string }) => d.id)
        .sort(),
      [...ids].sort(),
    );
    const table = await hookgraph(t, ['deliveries', 'list', '--event-type', r.type]);
    assert.equal(table.stdout.trim().split('\n').length, 4, table.stdout);
    assert.match(table.stdout, /FAILED/);
    const badStatus = await hookgraph(t, ['deliveries', 'list', '--status', 'LOST']);
    assert.equal(badStatus.code, 2);

    const one = await hookgraph(t, ['deliveries', 'retry', ids[0]!, 'dlv_doesnotexist']);
    assert.equal(one.code, 1, 'one of the two was refused');
    assert.match(one.stdout, new RegExp(`^${ids[0]} `));
    assert.match(one.stderr, /dlv_doesnotexist: .*NOT_FOUND/);
    await waitDelivery(t, ids[0]!, (d) => d.status === 'FAILED' && d.attemptCount === 2);

    const dry = await hookgraph(t, ['deliveries', 'retry', '--destination', r.destinationId, '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(JSON.parse(dry.stdout), { matched: 3 });
    const bulk = await hookgraph(t, ['deliveries', 'retry', '--filter', JSON.stringify({ destinationId: r.destinationId }), '--json']);
    assert.equal(bulk.code, 0, bulk.stderr);
    const job = JSON.parse(bulk.stdout);
    assert.deepEqual({ total: job.total, requeued: job.requeued, finished: job.finished }, { total: 3, requeued: 3, finished: true });
    for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'FAILED' && d.attemptCount >= 2);

    const neither = await hookgraph(t, ['deliveries', 'retry']);
    assert.equal(neither.code, 2);
  });

  it('destinations recover (dry run, then a job followed to its end), jobs list, watch and cancel', async () => {
    const t = ctx();
    const r = await route(t, `http://127.0.0.1:${await closedPort()}/hooks`, { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [] } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(JSON.parse((await hookgraph(t, ['publish', r.type, '--data', JSON.stringify({ i }), '--json'])).stdout).deliveries[0].id);
    for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'FAILED');

    const dry = await hookgraph(t, ['destinations', 'recover', r.destinationId, '--since', '1h', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(JSON.parse(dry.stdout), { matched: 3 });
    const recovered = await hookgraph(t, ['destinations', 'recover', r.destinationId, '--since', new Date(Date.now() - 60_000).toISOString(), '--json']);
    assert.equal(recovered.code, 0, recovered.stderr);
    const job = JSON.parse(recovered.stdout);
    assert.deepEqual({ kind: job.kind, status: job.status, done: job.done, total: job.total }, { kind: 'RECOVER', status: 'SUCCEEDED', done: 3, total: 3 });
    for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'FAILED' && d.attemptCount === 2);

    const listed = await hookgraph(t, ['jobs', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(JSON.parse(listed.stdout)[0].id, job.id, 'newest first');
    const running = await hookgraph(t, ['jobs', 'list', '--status', 'queued,running', '--json']);
    assert.ok(!JSON.parse(running.stdout).some((j: { id: string }) => j.id === job.id));
    const table = await hookgraph(t, ['jobs', 'list']);
    assert.match(table.stdout, new RegExp(`${job.id}\\s+RECOVER\\s+SUCCEEDED\\s+3\\s+3`));
    const watched = await hookgraph(t, ['jobs', 'watch', job.id]);
    assert.equal(watched.code, 0, watched.stderr);
    assert.equal(watched.stdout, `${job.id} SUCCEEDED: 3 of 3 done\n`);

    const missing = await hookgraph(t, ['jobs', 'watch', 'job_01KDOESNOTEXIST0000000000']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no bulk job/);
    const ended = await hookgraph(t, ['jobs', 'cancel', job.id]);
    assert.equal(ended.code, 1, 'an ended job cannot be cancelled');
    assert.match(ended.stderr, /INVALID_STATE/);
    const nothing = await hookgraph(t, ['destinations', 'recover', r.destinationId, '--since', '7d', '--until', '1h']);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.equal(nothing.stdout, 'nothing to recover\n', 'none failed in that window');
    assert.equal(JSON.parse((await hookgraph(t, ['jobs', 'list', '--json'])).stdout)[0].id, job.id, 'and it started no job');
    const badSince = await hookgraph(t, ['destinations', 'recover', r.destinationId, '--since', 'yesterday']);
    assert.equal(badSince.code, 2);
    assert.match(badSince.stderr, /--since must be an ISO time/);
  });

  it('tail prints a line for a delivery published after it started, and Ctrl-C stops it with exit 0', async () => {
    const t = ctx();
    const r = await route(t, receiver.url, { name: 'tail-target' });
    for (const json of [false, true]) {
      const subscribers = t.app.realtime.hub.stats().subscribers;
      const tail = runCli(['tail', '--destination', r.destinationId, ...(json ? ['--json'] : [])], { HOOKGRAPH_URL: t.url, HOOKGRAPH_KEY: t.adminKey });
      await eventually(async () => t.app.realtime.hub.stats().subscribers > subscribers, 10_000);
      const published = await t.gql(`mutation($type: String!) { eventPublish(input: { type: $type }) { deliveries { id } } }`, { type: r.type });
      const deliveryId = published.data.eventPublish.deliveries[0].id;
      if (json) {
        const line = await tail.waitForCapture(new RegExp(`^(\\{.*"id":"${deliveryId}".*"status":"SUCCEEDED".*\\})$`, 'm'));
        const delivery = JSON.parse(line);
        assert.equal(delivery.eventType, r.type);
        assert.equal(delivery.latestAttempt.responseStatusCode, 200);
      } else {
        const line = await tail.waitForCapture(new RegExp(`^(.*SUCCEEDED.*${deliveryId}.*)$`, 'm'));
        assert.match(
          line,
          new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+SUCCEEDED\\s+${r.type.replace('.', '\\.')}\\s+→ tail-target\\s+200\\s+\\d+ ms\\s+${deliveryId}$`),
        );
      }
      tail.kill('SIGINT');
      assert.equal(await tail.exited, 0, tail.stderr());
      await eventually(async () => t.app.realtime.hub.stats().subscribers === subscribers);
    }
  });

  it('tail reconnects by itself after the connection is lost and goes on printing', async () => {
    const t = ctx();
    const r = await route(t, receiver.url);
    const proxy = await TcpProxy.start(t.url);
    const tail = runCli(['tail', '--json', '--destination', r.destinationId], { HOOKGRAPH_URL: proxy.url, HOOKGRAPH_KEY: t.adminKey });
    try {
      const publishAndSee = async () => {
        const published = await t.gql(`mutation($type: String!) { eventPublish(input: { type: $type }) { deliveries { id } } }`, { type: r.type });
        const deliveryId = published.data.eventPublish.deliveries[0].id;
        await tail.waitFor(new RegExp(`"id":"${deliveryId}","status":"SUCCEEDED"`));
      };
      const subscribed = (n: number) => eventually(async () => t.app.realtime.hub.stats().subscribers === n, 10_000);
      const before = t.app.realtime.hub.stats().subscribers;
      await subscribed(before + 1);
      await publishAndSee();
      proxy.cutAll();
      await subscribed(before);
      await tail.waitFor(/connection lost, reconnecting/);
      await tail.waitFor(/connected again/, 15_000);
      await subscribed(before + 1);
      await publishAndSee();
      assert.ok(proxy.connections >= 2);
    } finally {
      tail.kill('SIGINT');
      await tail.exited;
      await proxy.stop();
    }
  });
});
