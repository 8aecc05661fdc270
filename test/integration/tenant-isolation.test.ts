import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { publish } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { connected, subscribe, wsClient } from '../support/ws-client';

/** One tenant's world: a destination, a webhook, a listener, a delivered event and a failed one. */
interface World {
  uid: string;
  tenantId: string;
  destinationId: string;
  webhookId: string;
  listenerId: string;
  eventId: string;
  deliveryId: string;
  failedDeliveryId: string;
  attemptId: string;
  admin: string;
  viewer: string;
}

const codes = (errors: unknown) => ((errors as { extensions?: { code?: string } }[] | undefined) ?? []).map((e) => e.extensions?.code);

async function ok<T = any>(t: TestApp, query: string, variables: Record<string, unknown> = {}, key?: string): Promise<T> {
  const res = await t.gql(query, variables, key);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data as T;
}

async function tenantKey(t: TestApp, uid: string, role: string): Promise<string> {
  const res = await ok(t, `mutation($t: String!, $r: Role!) { apiKeyCreate(input: { name: "k", role: $r, tenant: $t }) { key userErrors { code } } }`, {
    t: uid,
    r: role,
  });
  assert.deepEqual(res.apiKeyCreate.userErrors, []);
  return res.apiKeyCreate.key;
}

async function world(t: TestApp, uid: string, receiverUrl: string): Promise<World> {
  const tenant = await ok(
    t,
    `mutation($u: String!) { tenantCreate(input: { uid: $u, name: $u, metadata: { plan: "pro" } }) { tenant { id uid } userErrors { code } } }`,
    { u: uid },
  );
  assert.deepEqual(tenant.tenantCreate.userErrors, []);
  const admin = await tenantKey(t, uid, 'ADMIN');
  const viewer = await tenantKey(t, uid, 'VIEWER');
  // The tenant's own ADMIN key makes its resources, naming no tenant.
  const dest = await ok(
    t,
    `mutation($u: String!) { destinationCreate(input: { name: "orders", url: $u, retryPolicy: { maxAttempts: 1 } }) { destination { id tenantId } userErrors { code } } }`,
    { u: `${receiverUrl}/${uid}` },
    admin,
  );
  assert.equal(dest.destinationCreate.destination.tenantId, tenant.tenantCreate.tenant.id);
  const destinationId = dest.destinationCreate.destination.id;
  const hook = await ok(
    t,
    `mutation($d: ID!) { webhookCreate(input: { name: "all", destinationId: $d, eventTypes: ["iso.*"] }) { webhook { id } userErrors { code } } }`,
    { d: destinationId },
    admin,
  );
  const listener = await ok(
    t,
    `mutation { listenerCreate(input: { name: "in", eventType: "iso.inbound" }) { listener { id } userErrors { code } } }`,
    {},
    admin,
  );
  // One delivery held while its destination is paused, and cancelled: a CANCELLED one to retry.
  const setStatus = (status: string) =>
    ok(
      t,
      `mutation($id: ID!, $s: DestinationStatus!) { destinationUpdate(id: $id, input: { status: $s }) { userErrors { code } } }`,
      { id: destinationId, s: status },
      admin,
    );
  await setStatus('PAUSED');
  const held = await publish(t, { type: 'iso.held', data: { tenant: uid } }, admin);
  const cancelled = await ok(t, `mutation($id: ID!) { deliveryCancel(id: $id) { delivery { status } userErrors { code } } }`, { id: held.deliveryId }, admin);
  assert.deepEqual(cancelled.deliveryCancel, { delivery: { status: 'CANCELLED' }, userErrors: [] });
  await setStatus('ACTIVE');
  const sent = await publish(t, { type: 'iso.created', data: { tenant: uid } }, admin);
  return {
    uid,
    tenantId: tenant.tenantCreate.tenant.id,
    destinationId,
    webhookId: hook.webhookCreate.webhook.id,
    listenerId: listener.listenerCreate.listener.id,
    eventId: sent.eventId,
    deliveryId: sent.deliveryId,
    failedDeliveryId: held.deliveryId,
    attemptId: '',
    admin,
    viewer,
  };
}

/**
 * Every query, mutation and subscription, seen from tenant B's keys: nothing of tenant A
 * is visible, countable or changeable, and B's own work goes on.
 */
forEachDatabase('tenants: isolation', (ctx) => {
  const receiver = useReceiver();
  let a: World;
  let b: World;

  before(async () => {
    const t = ctx();
    a = await world(t, 'tenant-a', receiver.url);
    b = await world(t, 'tenant-b', receiver.url);
    for (const w of [a, b]) {
      const view = await eventually(async () => {
        const res = await ok(t, `query($id: ID!) { node(id: $id) { ... on Delivery { status attempts(first: 1) { nodes { id } } } } }`, { id: w.deliveryId });
        return res.node.status === 'SUCCEEDED' ? res.node : null;
      }, 10_000);
      w.attemptId = view.attempts.nodes[0].id;
    }
  });

  it("lists, counts and node() show B's keys only B's resources", async () => {
    const t = ctx();
    for (const key of [b.admin, b.viewer]) {
      const lists = await ok(
        t,
        `{ destinations { totalCount nodes { id } } webhooks { totalCount nodes { id } } events(type: ["iso.created", "iso.held"]) { totalCount nodes { id } }
           deliveries { totalCount nodes { id } } tenants { totalCount nodes { uid } } }`,
        {},
        key,
      );
      assert.deepEqual(lists.destinations.nodes, [{ id: b.destinationId }]);
      assert.deepEqual(lists.webhooks.nodes, [{ id: b.webhookId }]);
      assert.equal(lists.events.totalCount, 2);
      assert.ok(lists.events.nodes.every((e: { id: string }) => e.id !== a.eventId));
      assert.equal(lists.deliveries.totalCount, 2);
      assert.deepEqual(new Set(lists.deliveries.nodes.map((d: { id: string }) => d.id)), new Set([b.deliveryId, b.failedDeliveryId]));
      assert.deepEqual(lists.tenants.nodes, [{ uid: 'tenant-b' }]);
      for (const id of [a.destinationId, a.webhookId, a.eventId, a.deliveryId, a.attemptId, a.listenerId, a.tenantId]) {
        assert.equal((await ok(t, `query($id: ID!) { node(id: $id) { id } }`, { id }, key)).node, null, `node(${id})`);
      }
      assert.equal((await ok(t, `{ tenant(uid: "tenant-a") { id } }`, {}, key)).tenant, null);
      // Filtering on A cannot cross either.
      const filtered = await t.gql(`{ deliveries(filter: { tenant: "tenant-a" }) { totalCount } }`, {}, key);
      assert.deepEqual(codes(filtered.errors), ['BAD_USER_INPUT']);
    }
    const own = await ok(t, `query($id: ID!) { node(id: $id) { ... on Delivery { id tenantId } } }`, { id: b.deliveryId }, b.viewer);
    assert.deepEqual(own.node, { id: b.deliveryId, tenantId: b.tenantId });
    const listeners = await ok(t, `{ listeners { nodes { id } } }`, {}, b.admin);
    assert.deepEqual(listeners.listeners.nodes, [{ id: b.listenerId }]);
    // The installation's keys see both.
    const all = await ok(t, `{ tenants(filter: { uidPrefix: "tenant-" }) { totalCount } deliveries(filter: { tenant: "tenant-a" }) { totalCount } }`);
    assert.deepEqual(all, { tenants: { totalCount: 2 }, deliveries: { totalCount: 2 } });
  });

  it("B's ADMIN changes nothing of A's: every mutation finds nothing, and A is as it was", async () => {
    const t = ctx();
    const refused = async (mutation: string, variables: Record<string, unknown>) => {
      const res = await ok(t, mutation, variables, b.admin);
      const payload = Object.values(res)[0] as { userErrors: { code: string }[] };
      assert.deepEqual(
        payload.userErrors.map((e) => e.code),
        ['NOT_FOUND'],
        mutation,
      );
    };
    const id = (value: string) => ({ id: value });
    await refused(`mutation($id: ID!) { destinationUpdate(id: $id, input: { name: "taken" }) { userErrors { code } } }`, id(a.destinationId));
    await refused(`mutation($id: ID!) { destinationRotateSecret(id: $id) { userErrors { code } } }`, id(a.destinationId));
    await refused(`mutation($id: ID!) { destinationTest(id: $id) { userErrors { code } } }`, id(a.destinationId));
    await refused(`mutation($id: ID!) { webhookUpdate(id: $id, input: { enabled: false }) { userErrors { code } } }`, id(a.webhookId));
    await refused(`mutation($id: ID!) { webhookTest(id: $id) { userErrors { code } } }`, id(a.webhookId));
    await refused(`mutation($id: ID!) { webhookDryRun(id: $id, eventType: "iso.x") { userErrors { code } } }`, id(a.webhookId));
    await refused(`mutation($d: ID!) { webhookCreate(input: { name: "steal", destinationId: $d, eventTypes: ["*"] }) { userErrors { code } } }`, {
      d: a.destinationId,
    });
    await refused(`mutation($id: ID!) { listenerUpdate(id: $id, input: { name: "x" }) { userErrors { code } } }`, id(a.listenerId));
    await refused(`mutation($id: ID!) { listenerCaptureStart(id: $id, minutes: 5) { userErrors { code } } }`, id(a.listenerId));
    await refused(`mutation($id: ID!) { deliveryCancel(id: $id) { userErrors { code } } }`, id(a.deliveryId));
    await refused(`mutation($id: ID!) { deliveryRetry(id: $id) { userErrors { code } } }`, id(a.failedDeliveryId));
    await refused(`mutation($id: ID!) { listenerDelete(id: $id) { userErrors { code } } }`, id(a.listenerId));
    await refused(`mutation($id: ID!) { webhookDelete(id: $id) { userErrors { code } } }`, id(a.webhookId));
    await refused(`mutation($id: ID!) { destinationDelete(id: $id) { userErrors { code } } }`, id(a.destinationId));
    const captured = await t.gql(`query($id: ID!) { listenerRequests(id: $id) { totalCount } }`, id(a.listenerId), b.admin);
    assert.deepEqual(codes(captured.errors), ['BAD_USER_INPUT']);

    // Bulk retry counts and re-queues B's own only.
    const bulk = await ok(t, `mutation { deliveriesRetry(filter: { status: [CANCELLED] }, dryRun: true) { matched userErrors { code } } }`, {}, b.admin);
    assert.equal(bulk.deliveriesRetry.matched, 1);
    // Naming A's tenant is naming a tenant that does not exist.
    for (const mutation of [
      `mutation { eventPublish(input: { type: "iso.created", tenant: "tenant-a" }) { userErrors { code } } }`,
      `mutation { destinationCreate(input: { name: "x", url: "http://127.0.0.1:9/x", tenant: "tenant-a" }) { userErrors { code } } }`,
      `mutation { deliveriesRetry(filter: { tenant: "tenant-a" }, dryRun: true) { userErrors { code } } }`,
    ]) {
      const res = await ok(t, mutation, {}, b.admin);
      assert.deepEqual(
        (Object.values(res)[0] as { userErrors: { code: string }[] }).userErrors.map((e) => e.code),
        ['TENANT_NOT_FOUND'],
        mutation,
      );
    }
    // Keys and tenants belong to the installation.
    for (const mutation of [
      `mutation { apiKeyCreate(input: { name: "x", role: ADMIN }) { key } }`,
      `mutation { tenantCreate(input: { uid: "tenant-c" }) { tenant { id } } }`,
      `mutation($id: ID!) { tenantDelete(id: $id) { tenant { id } } }`,
    ]) {
      const res = await t.gql(mutation, { id: a.tenantId }, b.admin);
      assert.deepEqual(codes(res.errors), ['FORBIDDEN'], mutation);
    }
    assert.deepEqual(codes((await t.gql(`{ apiKeys { totalCount } }`, {}, b.admin)).errors), ['FORBIDDEN']);

    const untouched = await ok(
      t,
      `query($d: ID!, $w: ID!, $l: ID!, $c: ID!) { d: node(id: $d) { ... on Destination { name status } } w: node(id: $w) { ... on Webhook { enabled } }
         l: node(id: $l) { ... on Listener { name } } c: node(id: $c) { ... on Delivery { status } } }`,
      { d: a.destinationId, w: a.webhookId, l: a.listenerId, c: a.failedDeliveryId },
    );
    assert.deepEqual(untouched, { d: { name: 'orders', status: 'ACTIVE' }, w: { enabled: true }, l: { name: 'in' }, c: { status: 'CANCELLED' } });
  });

  it("a publish reaches only its tenant's webhooks; B's subscribers hear only B", async () => {
    const t = ctx();
    const client = wsClient(t.url, b.viewer);
    const deliveries = subscribe<{ deliveryUpdated: { id: string; tenantId: string } }>(client, `subscription { deliveryUpdated { id tenantId } }`);
    const events = subscribe<{ eventPublished: { id: string; tenantId: string } }>(client, `subscription { eventPublished(types: ["iso.*"]) { id tenantId } }`);
    const statuses = subscribe<{ destinationStatusChanged: { id: string } }>(client, `subscription { destinationStatusChanged { id } }`);
    const adminClient = wsClient(t.url, b.admin);
    const spied = subscribe(adminClient, `subscription($l: ID!) { listenerRequestReceived(listenerId: $l) { id } }`, { l: a.listenerId });
    try {
      await connected(client);
      const spyEnd = await Promise.race([spied.ended, spied.next(5000)]);
      assert.match(JSON.stringify(spyEnd), /does not exist/, "another tenant's listener is unknown");
      // A publish of A's (by the installation's key, naming A), then a status change of A's destination.
      const forA = await publish(t, { type: 'iso.created', tenant: 'tenant-a', data: { n: 2 } });
      assert.equal(forA.deliveries.length, 1, "only A's webhook matched");
      await ok(t, `mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { userErrors { code } } }`, { id: a.destinationId });
      const forB = await publish(t, { type: 'iso.created', data: { n: 3 } }, b.admin);
      assert.equal(forB.deliveries[0]!.id !== undefined, true);
      // B hears its own publish (so everything of A's, which came first, was already passed over).
      const heard = await events.next(10_000);
      assert.deepEqual(heard.data!.eventPublished, { id: forB.eventId, tenantId: b.tenantId });
      await eventually(async () => deliveries.buffered.some((r) => r.data!.deliveryUpdated.id === forB.deliveryId), 10_000);
      for (const r of deliveries.buffered) assert.equal(r.data!.deliveryUpdated.tenantId, b.tenantId);
      assert.equal(statuses.buffered.length, 0, "A's destination's status change was not heard");
      assert.equal(events.buffered.length, 0);
    } finally {
      deliveries.stop();
      events.stop();
      statuses.stop();
      spied.stop();
      await client.dispose();
      await adminClient.dispose();
      await ok(t, `mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { userErrors { code } } }`, { id: a.destinationId });
    }
  });

  it('a tenant is deleted with its data in the background; the default tenant cannot be', async () => {
    const t = ctx();
    const c = await world(t, 'tenant-c', receiver.url);
    const deleting = await ok(t, `mutation($id: ID!) { tenantDelete(id: $id) { tenant { status } userErrors { code } } }`, { id: c.tenantId });
    assert.deepEqual(deleting.tenantDelete, { tenant: { status: 'DELETING' }, userErrors: [] });
    const refused = await ok(t, `mutation { eventPublish(input: { type: "iso.created", tenant: "tenant-c" }) { userErrors { code } } }`);
    assert.deepEqual(refused.eventPublish.userErrors, [{ code: 'TENANT_NOT_FOUND' }], 'nothing new for a tenant being deleted');
    await eventually(async () => (await ok(t, `{ tenant(uid: "tenant-c") { id } }`)).tenant === null, 15_000, 100);
    for (const id of [c.destinationId, c.webhookId, c.eventId, c.deliveryId, c.listenerId]) {
      assert.equal((await ok(t, `query($id: ID!) { node(id: $id) { id } }`, { id })).node, null, id);
    }
    assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, c.admin)).status, 401, "the tenant's keys went with it");
    const other = await ok(t, `query($id: ID!) { node(id: $id) { id } }`, { id: b.deliveryId });
    assert.deepEqual(other.node, { id: b.deliveryId }, 'other tenants keep theirs');
    const def = await ok(t, `{ tenant(uid: "default") { id } }`);
    const kept = await ok(t, `mutation($id: ID!) { tenantDelete(id: $id) { userErrors { code } } }`, { id: def.tenant.id });
    assert.deepEqual(kept.tenantDelete.userErrors, [{ code: 'INVALID_STATE' }]);
  });
});
