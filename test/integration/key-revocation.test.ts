import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseKinds } from '../support/databases';
import { deferred, eventually } from '../support/deferred';
import { useTwoProcesses } from '../support/two-processes';
import { connected, wsClient } from '../support/ws-client';

/**
 * A key revoked in one process stops working in another that had just used it: through
 * Redis within a second, without it (a shared database only) within two.
 */
for (const kind of databaseKinds()) {
  for (const viaRedis of [false, true]) {
    const boundMs = viaRedis ? 1000 : 2000;
    describe(`${kind}: an API key revoked in one process, ${viaRedis ? 'with' : 'without'} Redis`, () => {
      const started = useTwoProcesses(kind, viaRedis);

      it(`is refused by the other process, and its sockets there closed, within ${boundMs} ms`, async (tc) => {
        const processes = started(tc);
        if (!processes) return;
        const { a, b } = processes;
        const created = await a.gql(`mutation { apiKeyCreate(input: { name: "short-lived", role: ADMIN }) { apiKey { id } key } }`);
        const { apiKey, key } = created.data.apiKeyCreate as { apiKey: { id: string }; key: string };
        const onB = (query: string) =>
          fetch(`${b.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query }),
          });
        assert.equal((await onB(`{ destinations { totalCount } }`)).status, 200, 'the other process accepts the key (and remembers it)');
        const closed = deferred<number>();
        const client = wsClient(b.url, key, { onClosed: (code) => closed.resolve(code) });
        try {
          await connected(client);
          const revoked = await a.gql(`mutation($id: ID!) { apiKeyRevoke(id: $id) { userErrors { message } } }`, { id: apiKey.id });
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
