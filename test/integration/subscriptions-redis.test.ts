import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { freshDatabase, type FreshDatabase } from '../support/databases';
import { startTestApp } from '../support/app';
import { runCli } from '../support/child';
import { Receiver } from '../support/receiver';
import { connected, subscribe, wsClient, type Stream } from '../support/ws-client';
import { IN_CI, REDIS_URL, redisReachable } from '../support/redis';

interface Server {
  url: string;
  stop(): Promise<void>;
}

/** `hookgraph serve` in its own process, on a port of its choosing (read from its start-up lines). */
async function serve(env: Record<string, string>): Promise<Server> {
  const child = runCli(['serve'], env);
  const stop = async () => {
    if (child.process.exitCode === null && child.process.signalCode === null) child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    await child.exited;
    clearTimeout(force);
  };
  try {
    const url = await child.waitForCapture(/GraphQL API:\s+(http:\/\/\S+)\/graphql/, 20_000);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function migrate(env: Record<string, string>): Promise<void> {
  const child = runCli(['migrate'], env);
  assert.equal(await child.exited, 0, `hookgraph migrate failed: ${child.stderr()}`);
}

const kinds = process.env.TEST_MYSQL_URL ? (['sqlite', 'mysql'] as const) : (['sqlite'] as const);

for (const kind of kinds) {
  describe(`${kind}: subscriptions across processes through Redis`, () => {
    let reachable = false;
    let db: FreshDatabase | undefined;
    let dataDir = '';
    const servers: Server[] = [];
    const clients: Client[] = [];
    const adminKey = `test-admin-${randomBytes(12).toString('hex')}`;

    before(async () => {
      reachable = await redisReachable();
      if (!reachable) {
        if (IN_CI) throw new Error(`Redis is required in CI and does not answer at ${REDIS_URL}`);
        return;
      }
      db = await freshDatabase(kind);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-redis-'));
      const env = {
        DATABASE_URL: db.config.kind === 'sqlite' ? `sqlite:${db.config.path}` : db.config.url,
        REDIS_URL,
        HOOKGRAPH_REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}`,
        HOOKGRAPH_ADMIN_KEY: adminKey,
        HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
        HOOKGRAPH_DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
      };
      if (kind === 'mysql') await migrate(env);
      // One after the other: on SQLite the first applies the migrations.
      servers.push(await serve(env));
      servers.push(await serve(env));
    });

    after(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await Promise.all(servers.map((s) => s.stop()));
      await db?.drop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const gql = async (server: Server, query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data;
    };

    it('the dispatcher’s changes in one process reach subscribers connected to the other', async (t) => {
      if (!reachable) {
        t.skip(`Redis not reachable at ${REDIS_URL} (set TEST_REDIS_URL)`);
        return;
      }
      const [a, b] = servers;
      assert.ok(a && b, 'two processes serve');
      const ready = await fetch(`${b.url}/readyz`);
      assert.deepEqual(await ready.json(), { status: 'ready', database: 'ok', redis: 'ok' });
      const good = await Receiver.start();
      const flaky = await Receiver.start();
      try {
        flaky.behave({ kind: 'status', status: 500 });
        const create = async (url: string, extra: string) => {
          const res = await gql(
            a,
            `mutation($url: String!, $name: String!) { destinationCreate(input: { name: $name, url: $url ${extra} }) { destination { id } userErrors { message } } }`,
            {
              url,
              name: `far-${url}`,
            },
          );
          assert.deepEqual(res.destinationCreate.userErrors, []);
          return res.destinationCreate.destination.id as string;
        };
        const goodDest = await create(`${good.url}/in`, '');
        const flakyDest = await create(`${flaky.url}/in`, ', retryPolicy: { maxAttempts: 1 }');
        const hook = async (d: string, t: string[]) => {
          const res = await gql(
            a,
            `mutation($d: ID!, $n: String!, $t: [String!]!) { webhookCreate(input: { name: $n, destinationId: $d, eventTypes: $t }) { userErrors { message } } }`,
            { d, n: `far-${d}`, t },
          );
          assert.deepEqual(res.webhookCreate.userErrors, []);
        };
        await hook(goodDest, ['order.*', 'probe.*']);
        await hook(flakyDest, ['invoice.*']);

        const onB = wsClient(b.url, adminKey);
        const onA = wsClient(a.url, adminKey);
        clients.push(onA, onB);
        await Promise.all([connected(onA), connected(onB)]);
        const query = `subscription { deliveryUpdated { id status } }`;
        const streamB = subscribe(onB, query);
        const streamA = subscribe(onA, query);

        // Subscriptions start asynchronously: probe until a publish through one process reaches the other.
        const probe = async (stream: Stream<any>, via: Server) => {
          for (let i = 0; i < 50; i += 1) {
            await gql(via, `mutation { eventPublish(input: { type: "probe.ping" }) { event { id } } }`);
            try {
              await stream.next(300);
              return;
            } catch {
              // not yet subscribed
            }
          }
          throw new Error('the subscription never became ready');
        };
        await probe(streamB, a);
        await probe(streamA, b);

        /** The statuses one subscriber sees for one delivery, up to `last`. */
        const statuses = async (s: Stream<any>, id: string, last: string) => {
          const seen: string[] = [];
          for (;;) {
            const r = await s.next(15_000);
            assert.equal(r.errors, undefined, JSON.stringify(r.errors));
            const d = r.data!.deliveryUpdated;
            if (d.id !== id) continue;
            seen.push(d.status);
            if (d.status === last) return seen;
          }
        };
        // The good destination is known ACTIVE to A's dispatcher by now (the probes went
        // there), so A's may take the delivery at publish: then it starts IN_FLIGHT.
        const published = await gql(a, `mutation { eventPublish(input: { type: "order.far" }) { deliveries { id status } } }`);
        const { id, status: first } = published.eventPublish.deliveries[0];
        const steps = first === 'IN_FLIGHT' ? ['IN_FLIGHT', 'SUCCEEDED'] : ['PENDING', 'IN_FLIGHT', 'SUCCEEDED'];
        // Whichever process's dispatcher sends it, both subscribers see every step once, in order.
        assert.deepEqual(await statuses(streamB, id, 'SUCCEEDED'), steps);
        assert.deepEqual(await statuses(streamA, id, 'SUCCEEDED'), steps);

        // The flaky destination is new to both: its delivery waits PENDING for a claim.
        const failed = await gql(b, `mutation { eventPublish(input: { type: "invoice.far" }) { deliveries { id status } } }`);
        assert.equal(failed.eventPublish.deliveries.length, 1);
        const fid = failed.eventPublish.deliveries[0].id;
        assert.equal(failed.eventPublish.deliveries[0].status, 'PENDING');
        assert.deepEqual(await statuses(streamA, fid, 'FAILED'), ['PENDING', 'IN_FLIGHT', 'FAILED']);
        assert.deepEqual(await statuses(streamB, fid, 'FAILED'), ['PENDING', 'IN_FLIGHT', 'FAILED']);
        flaky.behave({ kind: 'status', status: 200 });
        await gql(a, `mutation($id: ID!) { deliveryRetry(id: $id) { userErrors { code } } }`, { id: fid });
        assert.deepEqual(await statuses(streamB, fid, 'SUCCEEDED'), ['PENDING', 'IN_FLIGHT', 'SUCCEEDED']);
        assert.deepEqual(await statuses(streamA, fid, 'SUCCEEDED'), ['PENDING', 'IN_FLIGHT', 'SUCCEEDED']);
        assert.equal(good.requests.filter((r) => r.url === '/in').length >= 1, true);
      } finally {
        await good.stop();
        await flaky.stop();
      }
    });
  });
}

describe('subscriptions through Redis when Redis goes away', () => {
  it('keeps serving, loses only the live updates of the outage, and resumes when Redis is back', async (t) => {
    if (!(await redisReachable())) {
      if (IN_CI) throw new Error(`Redis is required in CI and does not answer at ${REDIS_URL}`);
      t.skip(`Redis not reachable at ${REDIS_URL} (set TEST_REDIS_URL)`);
      return;
    }
    // A TCP relay in front of Redis that the test can cut.
    const target = new URL(REDIS_URL);
    const links = new Set<net.Socket>();
    let open = true;
    const relay = net.createServer((client) => {
      if (!open) return client.destroy();
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        links.add(s);
        s.on('close', () => links.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const app = await startTestApp('sqlite', {
      REDIS_URL: `redis://127.0.0.1:${(relay.address() as AddressInfo).port}`,
      HOOKGRAPH_REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}`,
    });
    const client = wsClient(app.url, app.adminKey);
    try {
      await connected(client);
      const events = subscribe(client, `subscription { eventPublished { type } }`);
      const seen = async (type: string) => {
        for (let i = 0; i < 50; i += 1) {
          await app.gql(`mutation($t: String!) { eventPublish(input: { type: $t }) { event { id } } }`, { t: type });
          try {
            for (;;) if ((await events.next(300)).data!.eventPublished.type === type) return;
          } catch {
            // not through yet
          }
        }
        throw new Error(`${type} never arrived`);
      };
      await seen('before.outage');

      open = false;
      for (const s of links) s.destroy();
      // Publishing still works (the database is the truth); the live copy is lost.
      const during = await app.gql(`mutation { eventPublish(input: { type: "during.outage" }) { event { id } userErrors { code } } }`);
      assert.deepEqual(during.data.eventPublish.userErrors, []);
      const ready = await fetch(`${app.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { redis: string }).redis, 'unreachable');

      open = true;
      await seen('after.outage');
      assert.equal((await fetch(`${app.url}/readyz`)).status, 200);

      // Stopping does not wait for a Redis that is gone.
      open = false;
      for (const s of links) s.destroy();
      const started = Date.now();
      await app.stop();
      assert.ok(Date.now() - started < 5000, `stop took ${Date.now() - started} ms`);
    } finally {
      await client.dispose();
      await app.stop();
      for (const s of links) s.destroy();
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});
