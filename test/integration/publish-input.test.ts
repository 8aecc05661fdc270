import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { createDestination, createWebhook, pauseDestination } from '../support/fixtures';
import { publish } from '../support/publish';
import { postRaw } from '../support/inbound';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';

const BATCH = `mutation($input: EventPublishBatchInput!) { eventPublishBatch(input: $input) { events { id entityId } userErrors { field message code } } }`;
const LISTENER = `mutation($input: ListenerCreateInput!) { listenerCreate(input: $input) { listener { id url } userErrors { field message code } } }`;
const json = { 'content-type': 'application/json' };

async function countEvents(t: TestApp, type: string): Promise<number> {
  const res = await t.gql(`query($t: [String!]) { events(type: $t) { totalCount } }`, { t: [type] });
  return res.data.events.totalCount;
}

async function publisherKey(t: TestApp): Promise<string> {
  const res = await t.gql(`mutation { apiKeyCreate(input: { name: "pub-${Math.random().toString(36).slice(2)}", role: PUBLISHER }) { key } }`);
  return res.data.apiKeyCreate.key;
}

forEachDatabase('publishing: input that reaches headers, reserved types, idempotency, the source', (ctx) => {
  const receiver = useReceiver();

  it('refuses an entityUrl or entityId that cannot travel in a header, and the destination keeps delivering', async () => {
    const t = ctx();
    receiver.reset();
    const dest = await createDestination(t, { url: `${receiver.url}/in` });
    await createWebhook(t, dest.id, { eventTypes: ['shop.*'] });
    const key = await publisherKey(t);
    const bad: [Record<string, unknown>, string, string][] = [
      [{ entityUrl: 'http://a.example/\r\nx' }, 'entityUrl', 'INVALID_URL'],
      [{ entityUrl: 'http://a.example/ x' }, 'entityUrl', 'INVALID_URL'],
      [{ entityUrl: 'https://a.example/ü' }, 'entityUrl', 'INVALID_URL'],
      [{ entityUrl: 'javascript:alert(1)' }, 'entityUrl', 'INVALID_URL'],
      [{ entityUrl: 'ftp://a.example/x' }, 'entityUrl', 'INVALID_URL'],
      [{ entityUrl: 'https://user:pw@a.example/x' }, 'entityUrl', 'INVALID_URL'],
      [{ entityUrl: `https://a.example/${'x'.repeat(2048)}` }, 'entityUrl', 'INVALID_URL'],
      [{ entityUrl: '/relative' }, 'entityUrl', 'INVALID_URL'],
      [{ entityId: 'o-1\r\nX-Injected: 1' }, 'entityId', 'INVALID'],
      [{ entityId: 'o\u0000-1' }, 'entityId', 'INVALID'],
      [{ entityId: 'commande-№1' }, 'entityId', 'INVALID'],
      [{ entityId: ' o-1' }, 'entityId', 'INVALID'],
      [{ entityId: 'o'.repeat(201) }, 'entityId', 'INVALID'],
    ];
    // More than the breaker's threshold (20): were these sent and refused, they would open it.
    for (let i = 0; i < 22; i++) {
      const [input, field, code] = bad[i % bad.length]!;
      const res = await publish(t, { type: 'shop.order', data: { i }, ...input }, key);
      assert.equal(res.event, null, JSON.stringify(input));
      assert.deepEqual(
        res.userErrors.map((e) => [e.field, e.code]),
        [[[field], code]],
        JSON.stringify(input),
      );
    }
    assert.equal(await countEvents(t, 'shop.order'), 0, 'nothing refused is stored');

    const good = await publish(t, { type: 'shop.order', entityId: 'o-1 (Berlin)', entityUrl: 'https://shop.example/orders/o-1?tab=lines#top', data: {} }, key);
    assert.deepEqual(good.userErrors, []);
    const [got] = await receiver.waitFor(1);
    assert.equal(got!.headers['x-hookgraph-entity-id'], 'o-1 (Berlin)');
    assert.equal(got!.headers['x-hookgraph-entity-url'], 'https://shop.example/orders/o-1?tab=lines#top');
  });

  it('refuses a batch whose row holds an entity id that cannot travel in a header, naming the row', async () => {
    const t = ctx();
    const res = await t.gql(BATCH, { input: { type: 'crm.contact', syncMode: 'UPSERT', rows: [{ id: 'c-1' }, { id: 'c-2\nX-Evil: 1' }] } });
    assert.deepEqual(
      res.data.eventPublishBatch.userErrors.map((e: { field: string[]; code: string }) => [e.field, e.code]),
      [[['rows', '1', 'entityId'], 'INVALID']],
    );
    assert.equal(res.data.eventPublishBatch.events, null);
    assert.equal(await countEvents(t, 'crm.contact'), 0, 'a refused batch stores none of its rows');
  });

  it("reserves hookgraph's own event types for hookgraph: refused from publishers, batches and listeners", async () => {
    const t = ctx();
    const key = await publisherKey(t);
    for (const type of ['delivery.failed', 'destination.disabled', 'webhook.created', 'Delivery.Failed', 'webhook', 'hookgraph.test']) {
      const res = await publish(t, { type, data: { spoofed: true } }, key);
      assert.deepEqual(
        res.userErrors.map((e) => [e.field, e.code]),
        [[['type'], 'RESERVED_EVENT_TYPE']],
        type,
      );
    }
    const batch = await t.gql(BATCH, { input: { type: 'delivery.failed', syncMode: 'APPEND', rows: [{ id: 1 }] } }, key);
    assert.deepEqual(
      batch.data.eventPublishBatch.userErrors.map((e: { code: string }) => e.code),
      ['RESERVED_EVENT_TYPE'],
    );
    const spoofed = await t.gql(`{ events(type: ["delivery.failed", "destination.disabled"]) { totalCount } }`);
    assert.equal(spoofed.data.events.totalCount, 0);
    // Types that only start like a system namespace are the publisher's own.
    assert.deepEqual((await publish(t, { type: 'deliveryman.assigned' }, key)).userErrors, []);

    const named = () => `l-${Math.random().toString(36).slice(2)}`;
    const refused = await t.gql(LISTENER, { input: { name: named(), eventType: 'destination.disabled' } });
    assert.deepEqual(
      refused.data.listenerCreate.userErrors.map((e: { field: string[]; code: string }) => [e.field, e.code]),
      [[['eventType'], 'RESERVED_EVENT_TYPE']],
    );
    const created = await t.gql(LISTENER, { input: { name: named(), eventType: 'github.event' } });
    const update = await t.gql(`mutation($id: ID!) { listenerUpdate(id: $id, input: { eventType: "webhook.created" }) { userErrors { field code } } }`, {
      id: created.data.listenerCreate.listener.id,
    });
    assert.deepEqual(update.data.listenerUpdate.userErrors, [{ field: ['eventType'], code: 'RESERVED_EVENT_TYPE' }]);

    // A sender choosing the type through eventTypePath gets the fallback type, or a 400 without one.
    const withFallback = await t.gql(LISTENER, { input: { name: named(), eventType: 'github.event', eventTypePath: 'kind' } });
    const accepted = await postRaw(withFallback.data.listenerCreate.listener.url, JSON.stringify({ kind: 'delivery.failed' }), json);
    assert.equal(accepted.status, 204);
    const made = await t.gql(`{ events(type: ["github.event"]) { nodes { type source data } } }`);
    assert.deepEqual(made.data.events.nodes, [{ type: 'github.event', source: 'LISTENER', data: { kind: 'delivery.failed' } }]);
    const pathOnly = await t.gql(LISTENER, { input: { name: named(), eventTypePath: 'kind' } });
    const refusedPost = await postRaw(pathOnly.data.listenerCreate.listener.url, JSON.stringify({ kind: 'Destination.disabled' }), json);
    assert.equal(refusedPost.status, 400);
    const none = await t.gql(`{ events(type: ["delivery.failed", "Destination.disabled"]) { totalCount } }`);
    assert.equal(none.data.events.totalCount, 0);
  });

  it('tells receivers who produced each event: source API, LISTENER or SYSTEM in the body, form and query alike', async () => {
    const t = ctx();
    receiver.reset();
    const dest = await createDestination(t, { url: `${receiver.url}/json` });
    await createWebhook(t, dest.id, { eventTypes: ['src.*', 'webhook.*'] });
    const form = await createDestination(t, { url: `${receiver.url}/form`, format: 'FORM_URLENCODED' });
    await createWebhook(t, form.id, { eventTypes: ['src.form'] });
    const get = await createDestination(t, { url: `${receiver.url}/get`, method: 'GET' });
    await createWebhook(t, get.id, { eventTypes: ['src.form'] });

    await publish(t, { type: 'src.api' });
    const listener = await t.gql(LISTENER, { input: { name: `l-${Math.random().toString(36).slice(2)}`, eventType: 'src.inbound' } });
    assert.equal((await postRaw(listener.data.listenerCreate.listener.url, '{"a":1}', json)).status, 204);
    await createWebhook(t, dest.id, { eventTypes: ['nothing.here'] }); // its webhook.created is SYSTEM
    await publish(t, { type: 'src.form' });

    // /json: four webhook.created (its own too), src.api, src.inbound and src.form; /form and /get: src.form.
    const got = await receiver.waitFor(9);
    const bodies = got.filter((g) => g.url === '/json').map((g) => JSON.parse(g.body) as { type: string; source: string });
    const sourceOf = (type: string) => bodies.find((b) => b.type === type)?.source;
    assert.equal(sourceOf('src.api'), 'API');
    assert.equal(sourceOf('src.inbound'), 'LISTENER');
    assert.equal(sourceOf('webhook.created'), 'SYSTEM');
    const formBody = new URLSearchParams(got.find((g) => g.url === '/form')!.body);
    assert.equal(formBody.get('source'), 'API');
    const query = new URL(got.find((g) => g.url.startsWith('/get?'))!.url, receiver.url).searchParams;
    assert.equal(query.get('source'), 'API');
  });

  it('replays a repeated idempotency key with the same input, and refuses it with different input', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    await pauseDestination(t, dest.id);
    await createWebhook(t, dest.id, { eventTypes: ['pay.*'] });
    const input = {
      type: 'pay.received',
      entityId: 'p-1',
      entityUrl: 'https://pay.example/p-1',
      orderingKey: 'acct-9',
      data: { amount: 5, currency: 'EUR' },
      idempotencyKey: 'pay-1',
    };
    const first = await publish(t, input);
    assert.equal(first.replayed, false);

    // Same input: the first event, however the data's keys are ordered and whenever it says it happened.
    const again = await publish(t, { ...input, data: { currency: 'EUR', amount: 5 }, occurredAt: '2026-01-01T00:00:00.000Z' });
    assert.deepEqual([again.replayed, again.event.id, again.userErrors], [true, first.event.id, []]);
    assert.deepEqual(
      again.deliveries.map((d) => d.id),
      first.deliveries.map((d) => d.id),
    );

    const changes: Record<string, unknown>[] = [
      { data: { amount: 6, currency: 'EUR' } },
      { data: { amount: 5 } },
      { type: 'pay.refunded' },
      { entityId: 'p-2' },
      { entityId: null },
      { entityUrl: 'https://pay.example/p-2' },
      { orderingKey: 'acct-10' },
    ];
    for (const change of changes) {
      const res = await publish(t, { ...input, ...change });
      assert.equal(res.event, null, JSON.stringify(change));
      assert.equal(res.userErrors[0]?.code, 'IDEMPOTENCY_CONFLICT', JSON.stringify(change));
      assert.deepEqual(res.userErrors[0].field, ['idempotencyKey']);
      assert.match(res.userErrors[0].message, new RegExp(first.event.id));
    }
    assert.equal((await countEvents(t, 'pay.received')) + (await countEvents(t, 'pay.refunded')), 1);

    // Racing publishers with one key: the same input wins once, different input is refused.
    const racers = await Promise.all([1, 2, 3, 4].map((n) => publish(t, { type: 'pay.raced', data: { n: n % 2 }, idempotencyKey: 'race-2' })));
    const winner = racers.find((r) => r.replayed === false)!;
    for (const r of racers) {
      const same = (r.event?.data as { n: number } | undefined)?.n === (winner.event.data as { n: number }).n;
      if (r.event) assert.ok(same && r.event.id === winner.event.id);
      else assert.equal(r.userErrors[0]?.code, 'IDEMPOTENCY_CONFLICT');
    }
    assert.equal(racers.filter((r) => r.event).length, 2);
    assert.equal(await countEvents(t, 'pay.raced'), 1);
  });
});
