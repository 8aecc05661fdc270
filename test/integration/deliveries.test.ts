import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createDestination, createWebhook, pauseDestination } from '../support/fixtures';
import { publish } from '../support/publish';
import { forEachDatabase } from '../support/suite';

forEachDatabase('deliveries', (ctx) => {
  it('filters by status, webhook, destination, event type and event', async () => {
    const t = ctx();
    const d1 = await createDestination(t);
    const d2 = await createDestination(t);
    await pauseDestination(t, d1.id);
    await pauseDestination(t, d2.id);
    const w1 = await createWebhook(t, d1.id, { eventTypes: ['user.*'] });
    const w2 = await createWebhook(t, d2.id, { eventTypes: ['user.deleted'] });
    const created = await publish(t, { type: 'user.created' });
    const deleted = await publish(t, { type: 'user.deleted' });
    const q = async (filter: Record<string, unknown>) =>
      (await t.gql(`query($f: DeliveryFilter) { deliveries(filter: $f, first: 100) { totalCount nodes { id } } }`, { f: filter })).data.deliveries;
    assert.equal((await q({ webhookId: w1 })).totalCount, 2);
    assert.equal((await q({ webhookId: w2 })).totalCount, 1);
    assert.equal((await q({ destinationId: d2.id })).totalCount, 1);
    assert.equal((await q({ eventType: ['user.created'] })).totalCount, 1);
    assert.equal((await q({ eventId: deleted.event.id })).totalCount, 2);
    assert.equal((await q({ status: ['PENDING'], webhookId: w1 })).totalCount, 2);
    assert.equal((await q({ status: ['SUCCEEDED', 'FAILED'], webhookId: w1 })).totalCount, 0);
    assert.equal((await q({ eventId: created.event.id, destinationId: d2.id })).totalCount, 0);

    const bad = await t.gql(`{ deliveries(filter: { webhookId: "dst_01ARZ3NDEKTSV4RRFFQ69G5FAV" }) { totalCount } }`);
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.deepEqual(bad.errors?.[0]?.extensions?.field, ['filter', 'webhookId']);
  });

  it('filters by creation time: createdAfter includes its instant, createdBefore excludes it', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    await pauseDestination(t, dest.id);
    await createWebhook(t, dest.id, { eventTypes: ['invoice.sent'] });
    const { eventId } = await publish(t, { type: 'invoice.sent' });
    const q = async (filter: Record<string, unknown>) =>
      (await t.gql(`query($f: DeliveryFilter) { deliveries(filter: $f) { nodes { id createdAt } } }`, { f: { eventId, ...filter } })).data.deliveries.nodes;
    const [delivery] = await q({});
    const at = new Date(delivery.createdAt).getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    assert.equal((await q({ createdAfter: iso(at) })).length, 1);
    assert.equal((await q({ createdAfter: iso(at + 1) })).length, 0);
    assert.equal((await q({ createdBefore: iso(at) })).length, 0);
    assert.equal((await q({ createdBefore: iso(at + 1) })).length, 1);
    assert.equal((await q({ createdAfter: iso(at), createdBefore: iso(at + 1) })).length, 1);
    assert.equal((await q({ createdAfter: iso(at - 60_000), createdBefore: iso(at - 1) })).length, 0);

    const backwards = await t.gql(`query($f: DeliveryFilter) { deliveries(filter: $f) { totalCount } }`, {
      f: { createdAfter: iso(at), createdBefore: iso(at) },
    });
    assert.equal(backwards.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.deepEqual(backwards.errors?.[0]?.extensions?.field, ['filter', 'createdBefore']);
    const notADate = await t.gql(`query($f: DeliveryFilter) { deliveries(filter: $f) { totalCount } }`, { f: { createdAfter: 'yesterday' } });
    assert.equal(notADate.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  it('cancels a waiting delivery and re-queues a cancelled one', async () => {
    const t = ctx();
    const dest = await createDestination(t, { url: 'http://192.0.2.1/never' });
    // pause the destination so no dispatcher can touch the delivery while we steer it
    await pauseDestination(t, dest.id);
    const hook = await createWebhook(t, dest.id, { eventTypes: ['job.done'] });
    const { deliveries } = await publish(t, { type: 'job.done' });
    const id = deliveries.find((d) => d.webhookId === hook)!.id;
    const cancel = `mutation($id: ID!) { deliveryCancel(id: $id) { delivery { id status completedAt } userErrors { field code message } } }`;
    const retry = `mutation($id: ID!) { deliveryRetry(id: $id) { delivery { id status trigger nextAttemptAt } userErrors { field code message } } }`;

    const early = await t.gql(retry, { id });
    assert.equal(early.data.deliveryRetry.userErrors[0].code, 'INVALID_STATE');
    const cancelled = await t.gql(cancel, { id });
    assert.equal(cancelled.data.deliveryCancel.delivery.status, 'CANCELLED');
    assert.ok(cancelled.data.deliveryCancel.delivery.completedAt);
    const twice = await t.gql(cancel, { id });
    assert.equal(twice.data.deliveryCancel.userErrors[0].code, 'INVALID_STATE');
    const requeued = await t.gql(retry, { id });
    assert.equal(requeued.data.deliveryRetry.delivery.status, 'PENDING');
    assert.equal(requeued.data.deliveryRetry.delivery.trigger, 'MANUAL_RETRY');
    assert.ok(requeued.data.deliveryRetry.delivery.nextAttemptAt);
    const missing = await t.gql(cancel, { id: 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    assert.deepEqual(
      missing.data.deliveryCancel.userErrors.map((e: { code: string }) => e.code),
      ['NOT_FOUND'],
    );
    const node = await t.gql(`query($id: ID!) { node(id: $id) { __typename ... on Delivery { status } } }`, { id });
    assert.deepEqual(node.data.node, { __typename: 'Delivery', status: 'PENDING' });
  });

  it('cancels waiting deliveries when their webhook is deleted', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    await pauseDestination(t, dest.id);
    const hook = await createWebhook(t, dest.id, { eventTypes: ['gone.soon'] });
    const { deliveryId } = await publish(t, { type: 'gone.soon' });
    await t.gql(`mutation($id: ID!) { webhookDelete(id: $id) { deletedId } }`, { id: hook });
    const after = await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status lastError webhook { id } } } }`, { id: deliveryId });
    assert.deepEqual(after.data.node, { status: 'CANCELLED', lastError: 'webhook deleted', webhook: { id: hook } });
  });
});
