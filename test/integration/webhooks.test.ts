import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createDestination, createWebhook } from '../support/fixtures';
import { forEachDatabase } from '../support/suite';

const CREATE = `mutation($input: WebhookCreateInput!) {
  webhookCreate(input: $input) { webhook { id name destinationId eventTypes filter includeEntity fieldMapping { from to } enabled destination { id } } userErrors { field message code } }
}`;

forEachDatabase('webhooks', (ctx) => {
  it('creates, lists by destination, updates and deletes a webhook', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    const other = await createDestination(t);
    const res = await t.gql(CREATE, {
      input: {
        name: 'big orders',
        destinationId: dest.id,
        eventTypes: ['order.*', 'invoice.paid'],
        filter: { amount: { $gte: 100 } },
        includeEntity: false,
        fieldMapping: [{ from: 'customer.email', to: 'email' }],
      },
    });
    const webhook = res.data.webhookCreate.webhook;
    assert.deepEqual(res.data.webhookCreate.userErrors, []);
    assert.deepEqual(webhook.eventTypes, ['order.*', 'invoice.paid']);
    assert.deepEqual(webhook.filter, { amount: { $gte: 100 } });
    assert.equal(webhook.includeEntity, false);
    assert.equal(webhook.enabled, true);
    assert.equal(webhook.destination.id, dest.id);
    await createWebhook(t, other.id);

    const mine = await t.gql(`query($d: ID) { webhooks(destinationId: $d) { totalCount nodes { id } } }`, { d: dest.id });
    assert.deepEqual(mine.data.webhooks.nodes, [{ id: webhook.id }]);

    const upd = await t.gql(
      `mutation($id: ID!, $input: WebhookUpdateInput!) { webhookUpdate(id: $id, input: $input) { webhook { enabled filter eventTypes } userErrors { code } } }`,
      { id: webhook.id, input: { enabled: false, filter: null, eventTypes: ['*'] } },
    );
    assert.deepEqual(upd.data.webhookUpdate.webhook, { enabled: false, filter: null, eventTypes: ['*'] });

    const del = await t.gql(`mutation($id: ID!) { webhookDelete(id: $id) { deletedId userErrors { code } } }`, { id: webhook.id });
    assert.equal(del.data.webhookDelete.deletedId, webhook.id);
    const after = await t.gql(`query($d: ID) { webhooks(destinationId: $d) { totalCount } }`, { d: dest.id });
    assert.equal(after.data.webhooks.totalCount, 0);
  });

  it('refuses bad patterns, filters, unknown destinations and duplicate names', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    await createWebhook(t, dest.id, { name: 'taken' });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: 'p1', destinationId: dest.id, eventTypes: ['order.'] }, 'INVALID_PATTERN', 'eventTypes'],
      [{ name: 'p2', destinationId: dest.id, eventTypes: [] }, 'INVALID_PATTERN', 'eventTypes'],
      [{ name: 'p3', destinationId: dest.id, eventTypes: ['*'], filter: { a: { $like: 1 } } }, 'INVALID_FILTER', 'filter'],
      [{ name: 'p4', destinationId: dest.id, eventTypes: ['*'], filter: [1, 2] }, 'INVALID_FILTER', 'filter'],
      [{ name: 'p5', destinationId: 'dst_01ARZ3NDEKTSV4RRFFQ69G5FAV', eventTypes: ['*'] }, 'NOT_FOUND', 'destinationId'],
      [{ name: 'p6', destinationId: 'nonsense', eventTypes: ['*'] }, 'NOT_FOUND', 'destinationId'],
      [{ name: 'taken', destinationId: dest.id, eventTypes: ['*'] }, 'DUPLICATE_NAME', 'name'],
      [{ name: 'p7', destinationId: dest.id, eventTypes: ['*'], fieldMapping: [{ from: '__proto__.x', to: 'y' }] }, 'INVALID', 'fieldMapping'],
    ];
    for (const [input, code, field] of cases) {
      const res = await t.gql(CREATE, { input });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      const [error] = res.data.webhookCreate.userErrors;
      assert.equal(error?.code, code, `${JSON.stringify(input)} → ${JSON.stringify(error)}`);
      assert.equal(error.field[0], field);
    }
    const update = await t.gql(`mutation($id: ID!) { webhookUpdate(id: $id, input: { enabled: true }) { webhook { id } userErrors { code } } }`, {
      id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    assert.deepEqual(update.data.webhookUpdate.userErrors, [{ code: 'NOT_FOUND' }]);
  });

  it('publishes a webhook.created system event that webhooks can subscribe to', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    const watcher = await createWebhook(t, dest.id, { eventTypes: ['webhook.*'] });
    const created = await createWebhook(t, dest.id, { eventTypes: ['order.created'] });
    const events = await t.gql(`{ events(type: ["webhook.created"], first: 5) { nodes { id source entityId data } } }`);
    const event = events.data.events.nodes.find((e: { entityId: string }) => e.entityId === created);
    assert.ok(event, 'a webhook.created event for the new webhook');
    assert.equal(event.source, 'SYSTEM');
    const deliveries = await t.gql(`query($e: ID) { deliveries(filter: { eventId: $e }) { nodes { webhook { id } status } } }`, { e: event.id });
    const routed = deliveries.data.deliveries.nodes.map((n: { webhook: { id: string } }) => n.webhook.id);
    assert.ok(routed.includes(watcher), 'routed to the webhook.* subscriber');
    assert.ok(!routed.includes(created), 'not to the order.created webhook');
  });
});
