import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createClient, HookgraphError, NetworkError, type DeliveryFieldsFragment } from '@hookgraph/client';
import { deferred, eventually } from '../support/deferred';
import { createKey } from '../support/fixtures';
import { useReceiver } from '../support/receiver';
import { TcpProxy } from '../support/tcp-proxy';
import { forEachDatabase } from '../support/suite';
import { route, waitDelivery } from './dispatch-support';

/**
 * @hookgraph/client, built, against a real server: typed payloads with userErrors as
 * values, a typed error for refused requests, a live subscription over graphql-ws, and a
 * publish with an idempotency key retried after a dropped connection.
 */
forEachDatabase('the TypeScript client', (ctx) => {
  const receiver = useReceiver();

  it('publishes, replays by idempotency key, and returns userErrors as typed values', async () => {
    const t = ctx();
    const client = createClient({ url: t.url, key: t.adminKey });
    const r = await route(t, receiver.url);
    const first = await client.publish({ type: r.type, data: { n: 1 }, idempotencyKey: 'client-once' });
    assert.deepEqual(first.userErrors, []);
    assert.equal(first.replayed, false);
    assert.equal(first.deliveries?.[0]?.destinationId, r.destinationId);
    const again = await client.publish({ type: r.type, data: { n: 1 }, idempotencyKey: 'client-once' });
    assert.equal(again.replayed, true);
    assert.equal(again.event?.id, first.event?.id);

    const refused = await client.publish({ type: 'Not A Type' });
    assert.equal(refused.event, null);
    assert.deepEqual(
      refused.userErrors.map((e) => [e.field, e.code]),
      [[['type'], 'INVALID']],
    );
    const conflict = await client.publish({ type: r.type, data: { n: 2 }, idempotencyKey: 'client-once' });
    assert.equal(conflict.userErrors[0]?.code, 'IDEMPOTENCY_CONFLICT');
    const badUrl = await client.destinations.create({ name: 'nowhere', url: 'ftp://example.invalid' });
    assert.equal(badUrl.userErrors[0]?.code, 'INVALID_URL');
  });

  it('publishBatch: events each with its own type, one refused without stopping the others; rows as before', async () => {
    const t = ctx();
    const client = createClient({ url: t.url, key: t.adminKey });
    const batch = await client.publishBatch({
      events: [{ type: 'batch.one', data: { n: 1 }, idempotencyKey: 'batch-1' }, { type: 'Bad Type' }, { type: 'batch.two', entityId: 'e2' }],
    });
    assert.deepEqual(batch.userErrors, []);
    assert.deepEqual(
      batch.results?.map((r) => [r.event?.type ?? null, r.replayed, r.userErrors.map((e) => [e.field, e.code])]),
      [
        ['batch.one', false, []],
        [null, false, [[['events', '1', 'type'], 'INVALID']]],
        ['batch.two', false, []],
      ],
    );
    const replay = await client.publishBatch({ events: [{ type: 'batch.one', data: { n: 1 }, idempotencyKey: 'batch-1' }] });
    assert.equal(replay.results?.[0]?.replayed, true);
    assert.equal(replay.results?.[0]?.event?.id, batch.results?.[0]?.event?.id);

    const rows = await client.publishBatch({ type: 'sync.row', syncMode: 'UPSERT', rows: [{ id: 1 }, { id: 2 }] });
    assert.deepEqual(rows.userErrors, []);
    assert.equal(rows.results?.length, 2);
    const both = await client.publishBatch({ type: 'sync.row', syncMode: 'UPSERT', rows: [{ id: 1 }], events: [{ type: 'x.y' }] });
    assert.equal(both.userErrors[0]?.code, 'INVALID');
    const neither = await client.publishBatch({});
    assert.equal(neither.userErrors[0]?.code, 'INVALID');
  });

  it('lists destinations, webhooks and deliveries, and retries a failed delivery', async () => {
    const t = ctx();
    const client = createClient({ url: t.url, key: t.adminKey });
    const created = await client.destinations.create({
      name: 'client-closed',
      url: 'http://127.0.0.1:9/hooks',
      retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [] },
    });
    const destinationId = created.destination!.id;
    const hook = await client.webhooks.create({ name: 'client-hook', destinationId, eventTypes: ['client.failing'] });
    assert.deepEqual(hook.userErrors, []);
    assert.ok((await client.destinations.list({ first: 100 })).nodes.some((d) => d.id === destinationId));
    assert.deepEqual(
      (await client.webhooks.list({ destinationId })).nodes.map((w) => w.name),
      ['client-hook'],
    );

    const published = await client.publish({ type: 'client.failing' });
    const deliveryId = published.deliveries![0]!.id;
    await waitDelivery(t, deliveryId, (d) => d.status === 'FAILED');
    const failed = await client.deliveries.list({ status: ['FAILED'], destinationId });
    assert.deepEqual(
      failed.nodes.map((d) => [d.id, d.eventType, d.destination?.name]),
      [[deliveryId, 'client.failing', 'client-closed']],
    );
    const retried = await client.retry(deliveryId);
    assert.deepEqual(retried.userErrors, []);
    assert.notEqual(retried.delivery?.status, 'FAILED');
    assert.equal((await client.retry('dlv_doesnotexist')).userErrors[0]?.code, 'NOT_FOUND');
    const dry = await client.retryMany({ destinationId }, { dryRun: true });
    assert.equal(typeof dry.matched, 'number');
  });

  it('subscribeDeliveries streams the changes of a delivery published after it started; stopping leaves no subscriber', async () => {
    const t = ctx();
    const client = createClient({ url: t.url, key: await createKey(t, 'VIEWER') });
    const publisher = createClient({ url: t.url, key: await createKey(t, 'PUBLISHER') });
    const r = await route(t, receiver.url);
    const before = t.app.realtime.hub.stats().subscribers;
    const seen: DeliveryFieldsFragment[] = [];
    const succeeded = deferred<DeliveryFieldsFragment>();
    const stop = client.subscribeDeliveries({ destinationId: r.destinationId }, (d) => {
      seen.push(d);
      if (d.status === 'SUCCEEDED') succeeded.resolve(d);
    });
    try {
      await eventually(async () => t.app.realtime.hub.stats().subscribers > before);
      const published = await publisher.publish({ type: r.type, data: { live: true } });
      const done = await succeeded.promise;
      assert.equal(done.id, published.deliveries![0]!.id);
      assert.equal(done.latestAttempt?.responseStatusCode, 200);
      assert.ok(seen.every((d) => d.destinationId === r.destinationId));
    } finally {
      stop();
      await client.dispose();
    }
    await eventually(async () => t.app.realtime.hub.stats().subscribers === before);
  });

  it('a refused key is a HookgraphError over HTTP and over graphql-ws; an absent server a NetworkError', async () => {
    const t = ctx();
    const stranger = createClient({ url: t.url, key: 'hg_notakey' });
    await assert.rejects(
      stranger.destinations.list(),
      (error: unknown) => error instanceof HookgraphError && error.code === 'UNAUTHENTICATED' && error.status === 401,
    );
    const viewer = createClient({ url: `${t.url}/graphql`, key: await createKey(t, 'VIEWER') });
    await assert.rejects(viewer.publish({ type: 'not.allowed' }), (error: unknown) => error instanceof HookgraphError && error.code === 'FORBIDDEN');

    const refused = deferred<HookgraphError>();
    const stop = stranger.subscribeDeliveries(null, () => assert.fail('no delivery for a refused key'), { error: refused.resolve });
    const error = await refused.promise;
    stop();
    await stranger.dispose();
    assert.ok(error instanceof HookgraphError && !(error instanceof NetworkError));
    assert.equal(error.code, 'FORBIDDEN');

    const away = createClient({ url: 'http://127.0.0.1:9', key: t.adminKey, retry: { delaysMs: [] } });
    await assert.rejects(away.publish({ type: 'x.y', idempotencyKey: 'k' }), NetworkError);
  });

  it('a publish with an idempotency key is tried again after a dropped connection, once, and lands once', async () => {
    const t = ctx();
    const proxy = await TcpProxy.start(t.url, { dropFirst: true });
    try {
      const waits: number[] = [];
      const client = createClient({ url: proxy.url, key: t.adminKey, retry: { delaysMs: [25, 50], sleep: async (ms) => void waits.push(ms) } });
      const published = await client.publish({ type: 'flaky.network', idempotencyKey: 'flaky-1' });
      assert.deepEqual(published.userErrors, []);
      assert.deepEqual(waits, [25], 'one wait: the second try went through');
      assert.equal(proxy.connections, 2);
      const events = await t.gql(`{ events(type: ["flaky.network"]) { totalCount } }`);
      assert.equal(events.data.events.totalCount, 1);
    } finally {
      await proxy.stop();
    }
    const second = await TcpProxy.start(t.url, { dropFirst: true });
    try {
      const waits: number[] = [];
      const client = createClient({ url: second.url, key: t.adminKey, retry: { sleep: async (ms) => void waits.push(ms) } });
      await assert.rejects(client.publish({ type: 'flaky.network' }), NetworkError, 'without a key a publish is not repeated');
      assert.deepEqual(waits, []);
    } finally {
      await second.stop();
    }
  });
});
