import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { DeliveryAttemptEntity } from '../../src/domain/delivery/delivery-attempt.entity';
import { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { newId } from '../../src/domain/common/ids';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { publish, publishBatch } from '../support/publish';
import { forEachDatabase } from '../support/suite';
import type { TestApp } from '../support/app';
import { connected, subscribe, wsClient, type Stream } from '../support/ws-client';

const DELIVERY_UPDATED = `subscription($filter: DeliveryFilter) {
  deliveryUpdated(filter: $filter) { id status trigger attemptCount event { id type } webhook { id } destination { id name } }
}`;

/** Absence can only be shown by waiting a little after the presence of everything else. */
const SETTLE_MS = 300;
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

// The dispatcher is off: these tests steer the deliveries' statuses themselves.
// test/integration/subscriptions-dispatch.test.ts watches the dispatcher's changes.
forEachDatabase(
  'subscriptions',
  (ctx) => {
    const clients: Client[] = [];
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
      await eventually(async () => ctx().app.realtime.hub.stats().subscribers === 0);
    });

    async function client(t: TestApp, key: string = t.adminKey): Promise<Client> {
      const c = wsClient(t.url, key);
      clients.push(c);
      await connected(c);
      return c;
    }

    /** Waits until the server holds `count` more subscribers than before (so nothing is missed). */
    async function subscribed<T>(t: TestApp, streams: Stream<T>[], before: number): Promise<void> {
      await eventually(async () => t.app.realtime.hub.stats().subscribers >= before + streams.length);
    }

    const pause = (t: TestApp, id: string) =>
      t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { userErrors { code } } }`, { id });

    it('streams every status change of a delivery in order, filtered on the server', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: 'http://192.0.2.1/never' });
      await pause(t, dest.id); // no dispatcher may touch these deliveries while the test steers them
      const orders = await createWebhook(t, dest.id, { eventTypes: ['order.*'] });
      await createWebhook(t, dest.id, { eventTypes: ['user.*'] });
      const c = await client(t);
      const before = t.app.realtime.hub.stats().subscribers;
      const all = subscribe(c, DELIVERY_UPDATED);
      const byWebhook = subscribe(c, DELIVERY_UPDATED, { filter: { webhookId: orders } });
      const cancelled = subscribe(c, DELIVERY_UPDATED, { filter: { status: ['CANCELLED'] } });
      const userTypes = subscribe(c, DELIVERY_UPDATED, { filter: { eventType: ['user.*'] } });
      const byDestination = subscribe(c, DELIVERY_UPDATED, { filter: { destinationId: dest.id, status: ['PENDING'] } });
      await subscribed(t, [all, byWebhook, cancelled, userTypes, byDestination], before);

      const order = await publish(t, { type: 'order.created', data: { n: 1 } });
      const user = await publish(t, { type: 'user.created' });
      const d1 = order.deliveryId;
      const d2 = user.deliveryId;
      const steer = (m: string) => t.gql(`mutation($id: ID!) { ${m}(id: $id) { userErrors { code } } }`, { id: d1 });
      await steer('deliveryCancel');
      await steer('deliveryRetry');
      await steer('deliveryCancel');

      const seen = async (s: Stream<any>, n: number) => {
        const out: [string, string, string][] = [];
        for (let i = 0; i < n; i += 1) {
          const r = await s.next();
          assert.equal(r.errors, undefined, JSON.stringify(r.errors));
          out.push([r.data!.deliveryUpdated.id, r.data!.deliveryUpdated.status, r.data!.deliveryUpdated.trigger]);
        }
        return out;
      };
      assert.deepEqual(await seen(all, 5), [
        [d1, 'PENDING', 'AUTOMATIC'],
        [d2, 'PENDING', 'AUTOMATIC'],
        [d1, 'CANCELLED', 'AUTOMATIC'],
        [d1, 'PENDING', 'MANUAL_RETRY'],
        [d1, 'CANCELLED', 'MANUAL_RETRY'],
      ]);
      assert.deepEqual(
        (await seen(byWebhook, 4)).map(([, s]) => s),
        ['PENDING', 'CANCELLED', 'PENDING', 'CANCELLED'],
      );
      assert.deepEqual(await seen(cancelled, 2), [
        [d1, 'CANCELLED', 'AUTOMATIC'],
        [d1, 'CANCELLED', 'MANUAL_RETRY'],
      ]);
      assert.deepEqual(await seen(userTypes, 1), [[d2, 'PENDING', 'AUTOMATIC']]);
      assert.deepEqual(
        (await seen(byDestination, 3)).map(([id, s]) => `${id}:${s}`),
        [`${d1}:PENDING`, `${d2}:PENDING`, `${d1}:PENDING`],
      );
      await settle();
      for (const s of [all, byWebhook, cancelled, userTypes, byDestination]) assert.equal(s.buffered.length, 0);

      // The last status streamed is the one the database holds.
      const stored = await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status } } }`, { id: d1 });
      assert.equal(stored.data.node.status, 'CANCELLED');
    });

    it('streams by creation time: createdAfter and createdBefore narrow the live changes', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: 'http://192.0.2.1/never' });
      await pause(t, dest.id);
      await createWebhook(t, dest.id, { eventTypes: ['ledger.*'] });
      const old = (await publish(t, { type: 'ledger.opened' })).deliveryId;
      const fresh = (await publish(t, { type: 'ledger.posted' })).deliveryId;
      const hour = 60 * 60 * 1000;
      await t.app.services.db.manager.update(DeliveryEntity, { id: old }, { createdAt: new Date(Date.now() - 24 * hour) });
      const cut = new Date(Date.now() - hour).toISOString();
      const c = await client(t);
      const before = t.app.realtime.hub.stats().subscribers;
      const recent = subscribe(c, DELIVERY_UPDATED, { filter: { createdAfter: cut } });
      const older = subscribe(c, DELIVERY_UPDATED, { filter: { createdBefore: cut } });
      await subscribed(t, [recent, older], before);

      const steer = (m: string, id: string) => t.gql(`mutation($id: ID!) { ${m}(id: $id) { userErrors { code } } }`, { id });
      await steer('deliveryCancel', old);
      await steer('deliveryCancel', fresh);
      await steer('deliveryRetry', old);
      await steer('deliveryRetry', fresh);
      const seen = async (s: Stream<any>) => {
        const r = await s.next();
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        return `${r.data!.deliveryUpdated.id}:${r.data!.deliveryUpdated.status}`;
      };
      // Each stream's next change is the next one of its own deliveries: the other's never came between.
      assert.deepEqual([await seen(recent), await seen(recent)], [`${fresh}:CANCELLED`, `${fresh}:PENDING`]);
      assert.deepEqual([await seen(older), await seen(older)], [`${old}:CANCELLED`, `${old}:PENDING`]);
    });

    it('resolves nested fields and serializes each event once per distinct operation', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: 'http://192.0.2.1/never', name: 'billing' });
      await pause(t, dest.id);
      const hook = await createWebhook(t, dest.id, { eventTypes: ['invoice.paid'] });
      const before = t.app.realtime.hub.stats().subscribers;
      const same = await Promise.all([client(t), client(t), client(t)]);
      const streams = same.map((c) => subscribe(c, DELIVERY_UPDATED, { filter: { webhookId: hook } }));
      const other = subscribe(await client(t), `subscription { deliveryUpdated { id status } }`);
      await subscribed(t, [...streams, other], before);

      // Count result serializations while the event fans out (this process runs the server).
      const stringify = JSON.stringify;
      let serialized = 0;
      JSON.stringify = ((value: unknown, ...rest: unknown[]) => {
        if ((value as { data?: { deliveryUpdated?: unknown } } | null)?.data?.deliveryUpdated) {
          serialized += 1;
        }
        return (stringify as (...a: unknown[]) => string)(value, ...rest);
      }) as typeof JSON.stringify;
      let results;
      let published;
      try {
        published = await publish(t, { type: 'invoice.paid' });
        results = await Promise.all(streams.map((s) => s.next()));
        await other.next();
      } finally {
        JSON.stringify = stringify;
      }
      assert.equal(serialized, 2, 'one serialization per distinct operation, not per subscriber');
      const first = results[0]?.data?.deliveryUpdated;
      assert.deepEqual(first, {
        id: published.deliveryId,
        status: 'PENDING',
        trigger: 'AUTOMATIC',
        attemptCount: 0,
        event: { id: published.event.id, type: 'invoice.paid' },
        webhook: { id: hook },
        destination: { id: dest.id, name: 'billing' },
      });
      for (const r of results) assert.deepEqual(r.data, results[0]?.data);
    });

    it('streams finished attempts with their request and response', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: 'http://192.0.2.1/never' });
      await pause(t, dest.id);
      const hook = await createWebhook(t, dest.id, { eventTypes: ['ping'] });
      const before = t.app.realtime.hub.stats().subscribers;
      const c = await client(t);
      const attempts = subscribe(
        c,
        `subscription($f: DeliveryFilter) { deliveryAttemptCompleted(filter: $f) { id deliveryId attemptNumber outcome responseStatusCode durationMs requestHeaders { name value } responseBody } }`,
        { f: { webhookId: hook } },
      );
      const updates = subscribe(c, `subscription { deliveryUpdated { id status latestAttempt { id } } }`);
      await subscribed(t, [attempts, updates], before);
      const { deliveryId } = await publish(t, { type: 'ping' });
      const first = await updates.next();
      assert.equal(first.data!.deliveryUpdated.latestAttempt, null);
      assert.equal(attempts.buffered.length, 0);

      // What the dispatcher does after an attempt: commit it with the delivery's new state, then signal.
      const { services } = t.app;
      const delivery = (await services.deliveries.get(deliveryId))!;
      const now = new Date();
      const attempt = Object.assign(new DeliveryAttemptEntity(), {
        id: newId('attempt'),
        deliveryId: delivery.id,
        attemptNumber: 1,
        requestMethod: 'POST',
        requestUrl: 'http://192.0.2.1/never',
        requestHeaders: [{ name: 'content-type', value: 'application/json' }],
        requestBody: '{}',
        responseStatusCode: 200,
        responseHeaders: [],
        responseBody: 'ok',
        responseTruncated: false,
        durationMs: 12,
        outcome: 'SUCCESS',
        error: null,
        createdAt: now,
      } satisfies Partial<DeliveryAttemptEntity>);
      // The UPDATE below adds one to the row's version, as every change does.
      const done = Object.assign(delivery, {
        status: 'SUCCEEDED',
        attemptCount: 1,
        dueAt: null,
        completedAt: now,
        updatedAt: now,
        version: delivery.version + 1,
      });
      await services.db.transaction(async (tx) => {
        await tx.insert(DeliveryAttemptEntity, attempt);
        await tx.update(DeliveryEntity, { id: delivery.id }, { status: 'SUCCEEDED', attemptCount: 1, dueAt: null, completedAt: now, updatedAt: now });
      });
      services.signals.emit('deliveryUpdated', done, attempt);

      const a = (await attempts.next()).data!.deliveryAttemptCompleted;
      assert.deepEqual(a, {
        id: attempt.id,
        deliveryId: delivery.id,
        attemptNumber: 1,
        outcome: 'SUCCESS',
        responseStatusCode: 200,
        durationMs: 12,
        requestHeaders: [{ name: 'content-type', value: 'application/json' }],
        responseBody: 'ok',
      });
      const second = (await updates.next()).data!.deliveryUpdated;
      assert.deepEqual(second, { id: delivery.id, status: 'SUCCEEDED', latestAttempt: { id: attempt.id } });

      // A change announced late (older than what already went out) is dropped, not shown.
      const staleBefore = t.app.realtime.hub.stats().stale;
      services.signals.emit('deliveryUpdated', { ...done, status: 'IN_FLIGHT', updatedAt: new Date(now.getTime() - 1000), version: done.version - 1 }, null);
      assert.equal(t.app.realtime.hub.stats().stale, staleBefore + 1);
      await settle();
      assert.equal(updates.buffered.length, 0);
    });

    it('streams published events by type pattern and destination status changes by id', async () => {
      const t = ctx();
      const dest = await createDestination(t);
      const otherDest = await createDestination(t);
      const before = t.app.realtime.hub.stats().subscribers;
      const c = await client(t);
      const orders = subscribe(c, `subscription { eventPublished(types: ["order.*"]) { id type data source } }`);
      const everything = subscribe(c, `subscription { eventPublished { type } }`);
      const statuses = subscribe(c, `subscription($id: ID) { destinationStatusChanged(id: $id) { id status statusReason } }`, { id: dest.id });
      await subscribed(t, [orders, everything, statuses], before);

      const user = await publish(t, { type: 'user.created' });
      const order = await publish(t, { type: 'order.shipped', data: { box: 7 } });
      assert.deepEqual((await orders.next()).data!.eventPublished, { id: order.event.id, type: 'order.shipped', data: { box: 7 }, source: 'API' });
      assert.deepEqual(
        [(await everything.next()).data!.eventPublished.type, (await everything.next()).data!.eventPublished.type],
        [user.event.type, 'order.shipped'],
      );

      const setStatus = (id: string, status: string) =>
        t.gql(`mutation($id: ID!, $s: DestinationStatus) { destinationUpdate(id: $id, input: { status: $s }) { userErrors { code } } }`, { id, s: status });
      await setStatus(otherDest.id, 'PAUSED');
      await setStatus(dest.id, 'PAUSED');
      await setStatus(dest.id, 'ACTIVE');
      assert.deepEqual((await statuses.next()).data!.destinationStatusChanged, { id: dest.id, status: 'PAUSED', statusReason: 'set to PAUSED by an operator' });
      assert.equal((await statuses.next()).data!.destinationStatusChanged.status, 'ACTIVE');
      await settle();
      assert.equal(orders.buffered.length, 0);
      assert.equal(statuses.buffered.length, 0);
    });

    it('delivers a burst of 1,000 deliveries from one batch publish, in order, to each subscription of a socket', async () => {
      const t = ctx();
      const dest = await createDestination(t, { url: 'http://192.0.2.1/never' });
      await pause(t, dest.id);
      const hook = await createWebhook(t, dest.id, { eventTypes: ['sync.row'] });
      const before = t.app.realtime.hub.stats().subscribers;
      // Two operations on one socket: a backlog goes out in one step, each message under its own operation's id.
      const c = await client(t);
      const rows = subscribe(c, `subscription($f: DeliveryFilter) { deliveryUpdated(filter: $f) { id event { rowNumber } } }`, {
        f: { webhookId: hook },
      });
      const numbers = subscribe(c, `subscription { deliveryUpdated { event { rowNumber } } }`);
      await subscribed(t, [rows, numbers], before);
      await publishBatch(t, { type: 'sync.row', syncMode: 'UPSERT', rows: Array.from({ length: 1000 }, (_, i) => ({ id: i })) });
      for (let i = 1; i <= 1000; i += 1) {
        const r = await rows.next(10_000);
        assert.equal(r.data!.deliveryUpdated.event.rowNumber, i);
        assert.ok(r.data!.deliveryUpdated.id, 'the first operation selected the id');
        const n = await numbers.next(10_000);
        assert.deepEqual(n.data!.deliveryUpdated, { event: { rowNumber: i } }, 'the second operation got its own selection');
      }
      assert.equal(t.app.realtime.hub.stats().cutOff, 0);
    });

    it('streams the requests a capturing listener receives, for that listener only, to ADMIN keys', async () => {
      const t = ctx();
      const create = async (name: string) => {
        const res = await t.gql(
          `mutation($n: String!) { listenerCreate(input: { name: $n, eventType: "inbound.thing" }) { listener { id url } userErrors { message } } }`,
          { n: name },
        );
        assert.deepEqual(res.data.listenerCreate.userErrors, []);
        const listener = res.data.listenerCreate.listener as { id: string; url: string };
        const capture = await t.gql(`mutation($id: ID!) { listenerCaptureStart(id: $id, minutes: 15) { userErrors { message } } }`, { id: listener.id });
        assert.deepEqual(capture.data.listenerCaptureStart.userErrors, []);
        return listener;
      };
      const watched = await create('watched');
      const other = await create('other');
      const before = t.app.realtime.hub.stats().subscribers;
      const requests = subscribe(
        await client(t),
        `subscription($id: ID!) { listenerRequestReceived(listenerId: $id) { id listenerId method body verified responseStatusCode } }`,
        {
          id: watched.id,
        },
      );
      await subscribed(t, [requests], before);
      const send = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.ok((await send(other.url, { to: 'other' })).ok);
      assert.ok((await send(watched.url, { to: 'watched' })).ok);
      const got = (await requests.next()).data!.listenerRequestReceived;
      assert.equal(got.listenerId, watched.id);
      assert.equal(got.method, 'POST');
      assert.deepEqual(JSON.parse(got.body), { to: 'watched' });
      assert.equal(got.verified, true);
      await settle();
      assert.equal(requests.buffered.length, 0);

      const created = await t.gql(`mutation { apiKeyCreate(input: { name: "peeker", role: VIEWER }) { key } }`);
      const viewer = subscribe(await client(t, created.data.apiKeyCreate.key), `subscription($id: ID!) { listenerRequestReceived(listenerId: $id) { id } }`, {
        id: watched.id,
      });
      assert.equal((await viewer.next()).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    });

    it('refuses bad filters with a GraphQL error and lets a VIEWER key subscribe', async () => {
      const t = ctx();
      const created = await t.gql(`mutation { apiKeyCreate(input: { name: "watcher", role: VIEWER }) { key userErrors { code } } }`);
      const viewer = created.data.apiKeyCreate.key as string;
      const c = await client(t, viewer);
      const bad = subscribe(c, DELIVERY_UPDATED, { filter: { webhookId: 'dst_01ARZ3NDEKTSV4RRFFQ69G5FAV' } });
      const [error] = (await bad.next()).errors ?? [];
      assert.equal(error?.extensions?.code, 'BAD_USER_INPUT');
      assert.match(error.message, /not a webhook id/);
      await bad.ended;
      const badTypes = subscribe(c, `subscription { eventPublished(types: ["not a type"]) { id } }`);
      assert.equal((await badTypes.next()).errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');

      const before = t.app.realtime.hub.stats().subscribers;
      const events = subscribe(c, `subscription { eventPublished { type } }`);
      await subscribed(t, [events], before);
      await publish(t, { type: 'viewer.sees' });
      assert.equal((await events.next()).data!.eventPublished.type, 'viewer.sees');
    });
  },
  { HOOKGRAPH_WORKER_ENABLED: 'false' },
);
