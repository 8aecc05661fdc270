import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, it } from 'node:test';
import { PortalTokens } from '../../src/domain/portal/portal-token';
import { systemClock } from '../../src/domain/common/clock';
import type { TestApp } from '../support/app';
import { ManualClock } from '../support/clock';
import { deferred } from '../support/deferred';
import { createKey } from '../support/fixtures';
import { createTenant, jwtPayload, PORTAL_ACCESS, portalAccess, withPayload } from '../support/portal';
import { publish } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { connected, subscribe, wsClient } from '../support/ws-client';

const codes = (errors: unknown) => ((errors as { extensions?: { code?: string } }[] | undefined) ?? []).map((e) => e.extensions?.code);
const userErrorCodes = (payload: { userErrors: { code: string }[] }) => payload.userErrors.map((e) => e.code);

/** The portal's own clock: the tests move it to a token's expiry instead of waiting for it. */
const clock = new ManualClock();

/** A tenant with a destination (on the test receiver), a webhook for `portal.*`, and one delivered event. */
async function tenantWithDelivery(t: TestApp, uid: string, receiverUrl: string) {
  const tenantId = await createTenant(t, uid);
  const dest = await t.gql(`mutation($u: String!, $t: String!) { destinationCreate(input: { name: "orders", url: $u, tenant: $t }) { destination { id } } }`, {
    u: `${receiverUrl}/${uid}`,
    t: uid,
  });
  const destinationId = dest.data.destinationCreate.destination.id as string;
  await t.gql(
    `mutation($d: ID!, $t: String!) { webhookCreate(input: { name: "all", destinationId: $d, eventTypes: ["portal.*"], tenant: $t }) { webhook { id } } }`,
    {
      d: destinationId,
      t: uid,
    },
  );
  const sent = await publish(t, { type: 'portal.created', tenant: uid, data: { uid } });
  return { uid, tenantId, destinationId, deliveryId: sent.deliveryId };
}

/** A socket opened with `token`, and the close code it ends with. */
async function openSocket(t: TestApp, token: string) {
  const closed = deferred<number>();
  const client = wsClient(t.url, token, { onClosed: (code) => closed.resolve(code) });
  await connected(client);
  return { client, closed: closed.promise };
}

forEachDatabase(
  'portal tokens',
  (ctx) => {
    const receiver = useReceiver();
    let a: Awaited<ReturnType<typeof tenantWithDelivery>>;
    let b: Awaited<ReturnType<typeof tenantWithDelivery>>;

    before(async () => {
      a = await tenantWithDelivery(ctx(), 'portal-a', receiver.url);
      b = await tenantWithDelivery(ctx(), 'portal-b', receiver.url);
    });

    it('are made by keys of the whole installation (ADMIN, PUBLISHER), for 60 s to 24 h', async () => {
      const t = ctx();
      const before = clock.now();
      const admin = await portalAccess(t, a.uid, 'ADMIN');
      assert.equal(admin.url, `${t.url}/portal#token=${admin.token}`, 'the token travels in the fragment');
      // Expiry is in whole seconds from the signing time, which is somewhat after `before`.
      const expiresIn = Date.parse(admin.expiresAt) - before;
      const elapsed = clock.now() - before;
      assert.ok(expiresIn > 3598_000 && expiresIn <= 3600_000 + elapsed, `the default is an hour, got ${expiresIn} ms`);
      // What anyone holding it can read: whose, which role, which generation, until when; nothing secret.
      assert.deepEqual(Object.keys(jwtPayload(admin.token)).sort(), ['aud', 'exp', 'gen', 'iat', 'iss', 'jti', 'role', 'sub']);
      assert.deepEqual(
        { ...jwtPayload(admin.token), iat: 0, exp: 0, jti: '' },
        { role: 'ADMIN', gen: 0, iss: 'hookgraph', aud: 'hookgraph-portal', sub: a.tenantId, iat: 0, exp: 0, jti: '' },
      );

      const publisher = await createKey(t, 'PUBLISHER');
      const shortAt = clock.now();
      const short = await portalAccess(t, a.uid, 'VIEWER', 60, publisher);
      const shortIn = Date.parse(short.expiresAt) - shortAt;
      assert.ok(shortIn > 58_000 && shortIn <= 60_000 + (clock.now() - shortAt), `60 s asked, got ${shortIn} ms`);
      await portalAccess(t, a.uid, 'VIEWER', 86_400);

      for (const seconds of [59, 86_401, 0]) {
        const res = await t.gql(PORTAL_ACCESS, { input: { tenant: a.uid, role: 'VIEWER', expiresInSeconds: seconds } });
        assert.deepEqual(res.data.tenantPortalAccess.userErrors, [
          { field: ['input', 'expiresInSeconds'], code: 'OUT_OF_RANGE', message: `must be from 60 to 86400 seconds, got ${seconds}` },
        ]);
        assert.equal(res.data.tenantPortalAccess.token, null);
      }
      const unknown = await t.gql(PORTAL_ACCESS, { input: { tenant: 'no-such-tenant', role: 'VIEWER' } });
      assert.deepEqual(userErrorCodes(unknown.data.tenantPortalAccess), ['TENANT_NOT_FOUND']);
      const publisherRole = await t.gql(PORTAL_ACCESS, { input: { tenant: a.uid, role: 'PUBLISHER' } });
      assert.equal(publisherRole.status, 400, 'a portal is for VIEWER or ADMIN only');
      assert.deepEqual(codes(publisherRole.errors), ['BAD_USER_INPUT']);

      // A VIEWER key, a tenant's own key and a portal token cannot make them.
      const viewer = await createKey(t, 'VIEWER');
      const tenantAdmin = (await t.gql(`mutation { apiKeyCreate(input: { name: "a", role: ADMIN, tenant: "portal-a" }) { key } }`)).data.apiKeyCreate.key;
      for (const key of [viewer, tenantAdmin, admin.token]) {
        const res = await t.gql(PORTAL_ACCESS, { input: { tenant: a.uid, role: 'VIEWER' } }, key);
        assert.deepEqual(codes(res.errors), ['FORBIDDEN']);
      }
    });

    it("act as a key of their tenant over HTTP and graphql-ws, and see nothing of another tenant's", async () => {
      const t = ctx();
      const admin = (await portalAccess(t, a.uid, 'ADMIN')).token;
      const viewer = (await portalAccess(t, a.uid, 'VIEWER')).token;
      for (const token of [admin, viewer]) {
        const res = await t.gql(`{ destinations { nodes { id } } deliveries { nodes { id } } tenants { nodes { uid } } recentEventTypes }`, {}, token);
        assert.equal(res.status, 200);
        assert.deepEqual(res.data, {
          destinations: { nodes: [{ id: a.destinationId }] },
          deliveries: { nodes: [{ id: a.deliveryId }] },
          tenants: { nodes: [{ uid: a.uid }] },
          recentEventTypes: ['portal.created', 'webhook.created'],
        });
        for (const id of [b.destinationId, b.deliveryId, b.tenantId]) {
          assert.equal((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, token)).data.node, null);
        }
      }
      // The installation's key reads any tenant's types; a token only its own.
      const types = await t.gql(`{ recentEventTypes(tenant: "portal-b") }`);
      assert.deepEqual(types.data.recentEventTypes, ['portal.created', 'webhook.created']);
      assert.deepEqual(codes((await t.gql(`{ recentEventTypes(tenant: "portal-b") }`, {}, viewer)).errors), ['BAD_USER_INPUT']);
      const changed = await t.gql(
        `mutation($id: ID!) { destinationUpdate(id: $id, input: { name: "taken" }) { userErrors { code } } }`,
        { id: b.destinationId },
        admin,
      );
      assert.deepEqual(userErrorCodes(changed.data.destinationUpdate), ['NOT_FOUND']);
      const made = await t.gql(`mutation { destinationCreate(input: { name: "own", url: "http://127.0.0.1:9/own" }) { destination { tenantId } } }`, {}, admin);
      assert.equal(made.data.destinationCreate.destination.tenantId, a.tenantId, 'what an ADMIN token makes is its tenant’s');
      assert.deepEqual(
        codes((await t.gql(`mutation { destinationCreate(input: { name: "x", url: "http://127.0.0.1:9/x" }) { userErrors { code } } }`, {}, viewer)).errors),
        ['FORBIDDEN'],
      );
      // Keys and tenants are never a portal's business.
      for (const query of [
        `mutation { apiKeyCreate(input: { name: "x", role: VIEWER }) { key } }`,
        `mutation { tenantCreate(input: { uid: "portal-x" }) { tenant { id } } }`,
        `{ apiKeys { totalCount } }`,
      ]) {
        assert.deepEqual(codes((await t.gql(query, {}, admin)).errors), ['FORBIDDEN'], query);
      }

      // In connection_init: the socket hears its tenant's deliveries only.
      const client = wsClient(t.url, viewer);
      const heard = subscribe<{ deliveryUpdated: { id: string; tenantId: string } }>(client, `subscription { deliveryUpdated { id tenantId } }`);
      try {
        await connected(client);
        await publish(t, { type: 'portal.created', tenant: b.uid });
        const own = await publish(t, { type: 'portal.created', tenant: a.uid });
        const first = await heard.next(10_000);
        assert.deepEqual(first.data!.deliveryUpdated, { id: own.deliveryId, tenantId: a.tenantId });
      } finally {
        heard.stop();
        await client.dispose();
      }
    });

    it('expire: refused over HTTP from then on, and an open socket is closed 4403 at that moment', async () => {
      const t = ctx();
      const brief = (await portalAccess(t, a.uid, 'VIEWER', 60)).token;
      const lasting = (await portalAccess(t, a.uid, 'VIEWER', 3600)).token;
      assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, brief)).status, 200);
      const briefSocket = await openSocket(t, brief);
      const lastingSocket = await openSocket(t, lasting);
      try {
        clock.advance(60_000);
        assert.equal(await briefSocket.closed, 4403);
        const refused = await t.gql(`{ destinations { totalCount } }`, {}, brief);
        assert.equal(refused.status, 401);
        assert.deepEqual(refused.errors![0]!.extensions, { code: 'UNAUTHENTICATED', reason: 'PORTAL_TOKEN_EXPIRED' });
        const late = deferred<number>();
        const lateClient = wsClient(t.url, brief, { onClosed: (code) => late.resolve(code) });
        assert.equal(await late.promise, 4403, 'an expired token opens no socket');
        await lateClient.dispose();

        // A token with time left works on, and so does its socket.
        assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, lasting)).status, 200);
        const stream = subscribe<{ deliveryUpdated: { id: string } }>(lastingSocket.client, `subscription { deliveryUpdated { id } }`);
        const sent = await publish(t, { type: 'portal.created', tenant: a.uid });
        assert.equal((await stream.next(10_000)).data!.deliveryUpdated.id, sent.deliveryId);
        stream.stop();
      } finally {
        await briefSocket.client.dispose();
        await lastingSocket.client.dispose();
      }
    });

    it("are all revoked at once by tenantRevokePortalAccess: refused, their sockets closed; new ones work, other tenants' go on", async () => {
      const t = ctx();
      const old = (await portalAccess(t, a.uid, 'ADMIN')).token;
      const other = (await portalAccess(t, b.uid, 'VIEWER')).token;
      const oldSocket = await openSocket(t, old);
      const otherSocket = await openSocket(t, other);
      const revoke = `mutation($id: ID!) { tenantRevokePortalAccess(id: $id) { tenant { id } userErrors { code } } }`;
      try {
        // Only the installation's keys revoke, as only they make tokens.
        const tenantAdmin = (await t.gql(`mutation { apiKeyCreate(input: { name: "a", role: ADMIN, tenant: "portal-a" }) { key } }`)).data.apiKeyCreate.key;
        for (const key of [tenantAdmin, old, await createKey(t, 'VIEWER')])
          assert.deepEqual(codes((await t.gql(revoke, { id: a.tenantId }, key)).errors), ['FORBIDDEN']);
        assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, old)).status, 200, 'refused attempts revoked nothing');

        const revoked = await t.gql(revoke, { id: a.tenantId }, await createKey(t, 'PUBLISHER'));
        assert.deepEqual(revoked.data.tenantRevokePortalAccess, { tenant: { id: a.tenantId }, userErrors: [] });
        assert.equal(await oldSocket.closed, 4403);
        const refused = await t.gql(`{ destinations { totalCount } }`, {}, old);
        assert.equal(refused.status, 401);
        assert.equal(refused.errors![0]!.extensions!.reason, 'PORTAL_TOKEN_REVOKED');

        const fresh = (await portalAccess(t, a.uid, 'ADMIN')).token;
        assert.equal(jwtPayload(fresh).gen, 1);
        assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, fresh)).status, 200);
        assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, other)).status, 200);
        const stream = subscribe<{ deliveryUpdated: { id: string } }>(otherSocket.client, `subscription { deliveryUpdated { id } }`);
        const sent = await publish(t, { type: 'portal.created', tenant: b.uid });
        assert.equal((await stream.next(10_000)).data!.deliveryUpdated.id, sent.deliveryId, "the other tenant's socket is open");
        stream.stop();

        const missing = await t.gql(revoke, { id: 'tnt_01ARZ3NDEKTSV4RRFFQ69G5FAV' });
        assert.deepEqual(userErrorCodes(missing.data.tenantRevokePortalAccess), ['NOT_FOUND']);
      } finally {
        await oldSocket.client.dispose();
        await otherSocket.client.dispose();
      }
    });

    it('of a tenant being deleted are refused at once, and their sockets closed', async () => {
      const t = ctx();
      const c = await tenantWithDelivery(t, 'portal-c', receiver.url);
      const token = (await portalAccess(t, c.uid, 'ADMIN')).token;
      const socket = await openSocket(t, token);
      try {
        const deleting = await t.gql(`mutation($id: ID!) { tenantDelete(id: $id) { userErrors { code } } }`, { id: c.tenantId });
        assert.deepEqual(deleting.data.tenantDelete.userErrors, []);
        assert.equal(await socket.closed, 4403);
        const refused = await t.gql(`{ destinations { totalCount } }`, {}, token);
        assert.equal(refused.status, 401);
        assert.equal(refused.errors![0]!.extensions!.reason, 'PORTAL_TOKEN_REVOKED');
        assert.deepEqual(userErrorCodes((await t.gql(PORTAL_ACCESS, { input: { tenant: c.uid, role: 'VIEWER' } })).data.tenantPortalAccess), [
          'TENANT_NOT_FOUND',
        ]);
      } finally {
        await socket.client.dispose();
      }
    });

    it('altered, or made with another key, are refused: 401 over HTTP, 4403 on a socket', async () => {
      const t = ctx();
      const viewer = (await portalAccess(t, a.uid, 'VIEWER')).token;
      const elsewhere = await new PortalTokens(randomBytes(32), systemClock).sign({ tenantId: a.tenantId, role: 'ADMIN', generation: 5 }, 3600);
      const header = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString('base64url');
      const [, body, signature] = viewer.split('.');
      const forged = [
        withPayload(viewer, { ...jwtPayload(viewer), role: 'ADMIN' }),
        withPayload(viewer, { ...jwtPayload(viewer), sub: b.tenantId }),
        withPayload(viewer, { ...jwtPayload(viewer), exp: 4_102_444_800 }),
        `${viewer.slice(0, -4)}${viewer.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
        elsewhere.token,
        `${header({ alg: 'none', typ: 'JWT' })}.${body}.${signature}`,
        `${header({ alg: 'none', typ: 'JWT' })}.${body}.`,
      ];
      for (const token of forged) {
        const res = await t.gql(`{ destinations { totalCount } }`, {}, token);
        assert.equal(res.status, 401, token);
        assert.deepEqual(codes(res.errors), ['UNAUTHENTICATED']);
        const closed = deferred<number>();
        const client = wsClient(t.url, token, { onClosed: (code) => closed.resolve(code) });
        assert.equal(await closed.promise, 4403, token);
        await client.dispose();
      }
      assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, viewer)).status, 200, 'the genuine token works');
    });
  },
  {},
  { clock },
);
