import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseKinds } from '../support/databases';
import { deferred, eventually } from '../support/deferred';
import { createTenant, portalAccess } from '../support/portal';
import { useTwoProcesses } from '../support/two-processes';
import { connected, wsClient } from '../support/ws-client';

/**
 * Portal access revoked in one process stops in another that had just admitted the
 * token: through Redis within a second, without it (a shared database only) within two
 * (README, "Sending to your customers").
 */
for (const kind of databaseKinds()) {
  for (const viaRedis of [false, true]) {
    const boundMs = viaRedis ? 1000 : 2000;
    describe(`${kind}: portal access revoked in one process, ${viaRedis ? 'with' : 'without'} Redis`, () => {
      const started = useTwoProcesses(kind, viaRedis);

      it(`stops working in the other process, which closes its sockets, within ${boundMs} ms`, async (tc) => {
        const processes = started(tc);
        if (!processes) return;
        const { a, b } = processes;
        const tenantId = await createTenant(a, 'acme');
        const { token } = await portalAccess(a, 'acme', 'VIEWER');
        const onB = (bearer = token) =>
          fetch(`${b.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
            body: JSON.stringify({ query: '{ destinations { totalCount } }' }),
          });
        assert.equal((await onB()).status, 200, 'the other process admits the token (and knows the tenant)');
        const closed = deferred<number>();
        const client = wsClient(b.url, token, { onClosed: (code) => closed.resolve(code) });
        try {
          await connected(client);
          const revoked = await a.gql(`mutation($id: ID!) { tenantRevokePortalAccess(id: $id) { userErrors { code } } }`, { id: tenantId });
          assert.deepEqual(revoked.data.tenantRevokePortalAccess.userErrors, []);
          const at = Date.now();
          await eventually(async () => (await onB()).status === 401, boundMs + 500, 25);
          const refusedAfter = Date.now() - at;
          assert.ok(refusedAfter <= boundMs + 250, `refused after ${refusedAfter} ms`);
          const code = await Promise.race([closed.promise, new Promise<number>((r) => setTimeout(() => r(-1), boundMs + 500))]);
          assert.equal(code, 4403, 'the socket opened with the token was closed');
          // A token made after the revocation works there too.
          const fresh = await portalAccess(a, 'acme', 'VIEWER');
          assert.equal((await onB(fresh.token)).status, 200);
        } finally {
          await client.dispose();
        }
      });
    });
  }
}
