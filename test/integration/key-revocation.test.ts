import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { startWorkerFor, type ChildApp } from '../support/child-app';
import { databaseKinds } from '../support/databases';
import { deferred, eventually } from '../support/deferred';
import { IN_CI, REDIS_URL, redisReachable } from '../support/redis';
import { connected, wsClient } from '../support/ws-client';

/**
 * A key revoked in one process stops working in another that had just used it: through
 * Redis within a second, without it (a shared database only) within two.
 */
for (const kind of databaseKinds()) {
  for (const viaRedis of [false, true]) {
    const boundMs = viaRedis ? 1000 : 2000;
    describe(`${kind}: an API key revoked in one process, ${viaRedis ? 'with' : 'without'} Redis`, () => {
      let skip: string | false = false;
      let a: TestApp | undefined;
      let b: ChildApp | undefined;
      before(async () => {
        if (viaRedis && !(await redisReachable())) {
          if (IN_CI) throw new Error(`Redis is required in CI and does not answer at ${REDIS_URL}`);
          skip = `Redis not reachable at ${REDIS_URL} (set TEST_REDIS_URL)`;
          return;
        }
        const redis: Record<string, string> = viaRedis ? { REDIS_URL, HOOKGRAPH_REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}` } : {};
        a = await startTestApp(kind, redis);
        b = await startWorkerFor(a, { ...redis, HOOKGRAPH_WORKER_ENABLED: 'false' });
      });
      after(async () => {
        await b?.kill('SIGTERM');
        await a?.stop();
      });

      it(`is refused by the other process, and its sockets there closed, within ${boundMs} ms`, async (tc) => {
        if (skip) return tc.skip(skip);
        const created = await a!.gql(`mutation { apiKeyCreate(input: { name: "short-lived", role: ADMIN }) { apiKey { id } key } }`);
        const { apiKey, key } = created.data.apiKeyCreate as { apiKey: { id: string }; key: string };
        const onB = (query: string) =>
          fetch(`${b!.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query }),
          });
        assert.equal((await onB(`{ destinations { totalCount } }`)).status, 200, 'the other process accepts the key (and remembers it)');
        const closed = deferred<number>();
        const client = wsClient(b!.url, key, { onClosed: (code) => closed.resolve(code) });
        try {
          await connected(client);
          const revoked = await a!.gql(`mutation($id: ID!) { apiKeyRevoke(id: $id) { userErrors { message } } }`, { id: apiKey.id });
          assert.deepEqual(revoked.data.apiKeyRevoke.userErrors, []);
          const at = Date.now();
          await eventually(async () => (await onB(`{ destinations { totalCount } }`)).status === 401, boundMs + 500, 25);
          const refusedAfter = Date.now() - at;
          assert.ok(refusedAfter <= boundMs + 250, `refused after ${refusedAfter} ms`);
          const code = await Promise.race([closed.promise, new Promise<number>((r) => setTimeout(() => r(-1), boundMs + 500))]);
          assert.equal(code, 4403, 'the socket opened with the key was closed');
        } finally {
          await client.dispose();
        }
      });
    });
  }
}
