import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import { BoundedQueue } from '../../src/graphql/realtime/bounded-queue';
import { deliveryMatches, eventTypeMatches } from '../../src/graphql/realtime/filters';
import { createHookgraphPubSub } from '../../src/graphql/realtime/pubsub';
import { LatestVersions } from '../../src/graphql/realtime/latest-versions';
import { bridgeSignals } from '../../src/graphql/realtime/signal-bridge';
import { SubscriberHub } from '../../src/graphql/realtime/subscriber-hub';
import { PreSerialized } from '../../src/graphql/realtime/shared-execution';
import type { DeliveryAttemptEntity } from '../../src/domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { Signals } from '../../src/domain/common/signals';
import type { ListenerRequestEntity } from '../../src/domain/listener/listener-request.entity';
import { toDeliveryType } from '../../src/graphql/delivery/delivery.type';
import { toDestinationType } from '../../src/graphql/destination/destination.type';
import {
  attemptFromWire,
  attemptToWire,
  deliveryFromWire,
  deliveryToWire,
  destinationFromWire,
  destinationToWire,
  eventFromWire,
  eventToWire,
  listenerRequestFromWire,
  listenerRequestToWire,
  type DeliveryWire,
} from '../../src/graphql/realtime/wire';
import { destination as destinationEntity, event as eventEntity, NOW } from './signing-fixtures';

const delivery: DeliveryWire = {
  id: 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  tenantId: 'tnt_00000000000000000000000000',
  eventId: 'evt_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  webhookId: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  destinationId: 'dst_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  eventType: 'order.item.added',
  status: 'RETRY_SCHEDULED',
  trigger: 'AUTOMATIC',
  attemptCount: 2,
  nextAttemptAt: 1,
  lastStatusCode: 503,
  lastError: null,
  createdAt: 0,
  updatedAt: 1,
  completedAt: null,
  version: 4,
};

describe('subscription filters', () => {
  it('match deliveries on every field of DeliveryFilter, all conditions together', () => {
    assert.equal(deliveryMatches(null, delivery), true);
    assert.equal(deliveryMatches({}, delivery), true);
    assert.equal(deliveryMatches({ status: ['RETRY_SCHEDULED', 'FAILED'] }, delivery), true);
    assert.equal(deliveryMatches({ status: ['SUCCEEDED'] }, delivery), false);
    assert.equal(deliveryMatches({ status: [] }, delivery), true);
    assert.equal(deliveryMatches({ webhookId: delivery.webhookId }, delivery), true);
    assert.equal(deliveryMatches({ webhookId: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FAW' }, delivery), false);
    assert.equal(deliveryMatches({ destinationId: 'dst_01ARZ3NDEKTSV4RRFFQ69G5FAW' }, delivery), false);
    assert.equal(deliveryMatches({ eventId: 'evt_01ARZ3NDEKTSV4RRFFQ69G5FAW' }, delivery), false);
    assert.equal(deliveryMatches({ eventType: ['order.*'] }, delivery), true);
    assert.equal(deliveryMatches({ eventType: ['order.item.added'] }, delivery), true);
    assert.equal(deliveryMatches({ eventType: ['order'] }, delivery), false);
    assert.equal(deliveryMatches({ eventType: ['order.*'], status: ['FAILED'] }, delivery), false);
    assert.equal(deliveryMatches({ createdAfter: new Date(delivery.createdAt) }, delivery), true);
    assert.equal(deliveryMatches({ createdAfter: new Date(delivery.createdAt + 1) }, delivery), false);
    assert.equal(deliveryMatches({ createdBefore: new Date(delivery.createdAt) }, delivery), false);
    assert.equal(deliveryMatches({ createdBefore: new Date(delivery.createdAt + 1) }, delivery), true);
  });

  it('match event types by exact type, prefix or star; none means all', () => {
    assert.equal(eventTypeMatches(null, 'a.b'), true);
    assert.equal(eventTypeMatches([], 'a.b'), true);
    assert.equal(eventTypeMatches(['*'], 'a.b'), true);
    assert.equal(eventTypeMatches(['a.*'], 'a.b'), true);
    assert.equal(eventTypeMatches(['a.*'], 'ab.c'), false);
    assert.equal(eventTypeMatches(['b', 'a.b'], 'a.b'), true);
  });
});

describe('pub/sub messages', () => {
  /** As a message arrives from another process: through JSON. */
  const acrossRedis = <T>(message: T): T => JSON.parse(JSON.stringify(message));
  const later = new Date(NOW.getTime() + 5000);

  it('resolve, after crossing processes, as what GraphQL resolves from the database (nothing more on the wire)', () => {
    const waiting: DeliveryEntity = {
      id: 'dlv_01JTEST',
      tenantId: 'tnt_00000000000000000000000000',
      eventId: 'evt_01JTESTEVENT',
      webhookId: 'whk_01JTEST',
      destinationId: 'dst_01JTEST',
      eventType: 'customer.updated',
      status: 'RETRY_SCHEDULED',
      trigger: 'AUTOMATIC',
      attemptCount: 1,
      dueAt: later,
      leaseOwner: 'host:1:abc',
      orderingKey: 'customer-42',
      lastStatusCode: 503,
      lastError: 'HTTP 503',
      createdAt: NOW,
      updatedAt: later,
      completedAt: null,
      version: 2,
    };
    const done: DeliveryEntity = { ...waiting, status: 'SUCCEEDED', dueAt: null, completedAt: later };
    for (const d of [waiting, done]) assert.deepEqual(deliveryFromWire(acrossRedis(deliveryToWire(d))), toDeliveryType(d));

    const attempt: DeliveryAttemptEntity = {
      id: 'att_01JTEST',
      deliveryId: 'dlv_01JTEST',
      attemptNumber: 1,
      requestMethod: 'POST',
      requestUrl: 'https://receiver.example/hooks',
      requestHeaders: [{ name: 'webhook-id', value: 'evt_01JTESTEVENT' }],
      requestBody: '{}',
      requestBodyRecipe: null,
      responseStatusCode: 503,
      responseHeaders: [{ name: 'retry-after', value: '1' }],
      responseBody: 'busy',
      responseTruncated: false,
      durationMs: 12,
      outcome: 'HTTP_ERROR',
      error: null,
      createdAt: NOW,
    };
    // The recipe is how the body is stored; the wire carries the body itself.
    const { requestBodyRecipe: _stored, ...shown } = attempt;
    assert.deepEqual(attemptFromWire(acrossRedis(attemptToWire(attempt))), shown);

    const event = eventEntity();
    assert.deepEqual(eventFromWire(acrossRedis(eventToWire(event))), { ...event });

    const rotating = destinationEntity({
      previousSecretExpiresAt: new Date(Date.now() + 60_000),
      failureStreak: 3,
      failingSince: NOW,
      circuitOpenUntil: later,
    });
    assert.deepEqual(destinationFromWire(acrossRedis(destinationToWire(rotating))), toDestinationType(rotating));

    const request: ListenerRequestEntity = {
      id: 'lrq_01JTEST',
      listenerId: 'lst_01JTEST',
      method: 'POST',
      contentType: 'application/json',
      headers: [{ name: 'x-hub-signature-256', value: '[REDACTED]' }],
      body: '{}',
      verified: true,
      error: null,
      responseStatusCode: 204,
      eventId: 'evt_01JTESTEVENT',
      createdAt: NOW,
    };
    assert.deepEqual(listenerRequestFromWire(acrossRedis(listenerRequestToWire(request))), { ...request });
  });
});

describe('BoundedQueue', () => {
  it('hands items over in order, to a waiting reader at once', async () => {
    const q = new BoundedQueue<number>(2);
    const pending = q.next();
    assert.equal(q.push(1), true);
    assert.deepEqual(await pending, { value: 1, done: false });
    q.push(2);
    q.push(3);
    assert.deepEqual(await q.next(), { value: 2, done: false });
    assert.deepEqual(await q.next(), { value: 3, done: false });
  });

  it('refuses the item past its capacity, so the caller can cut the reader off', () => {
    const q = new BoundedQueue<number>(3);
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => q.push(n)),
      [true, true, true, false],
    );
    assert.equal(q.size, 3);
  });

  it('ends a pending next() at once on return(), drops what waits, and reports the end once', async () => {
    let ended = 0;
    const q = new BoundedQueue<number>(10, () => (ended += 1));
    const pending = q.next();
    await q.return();
    assert.deepEqual(await pending, { value: undefined, done: true });
    assert.equal(q.push(1), true, 'pushing to an ended queue is a no-op, not an overflow');
    assert.deepEqual(await q.next(), { value: undefined, done: true });
    q.end();
    assert.equal(ended, 1);
  });

  it('hands over what waits at once, oldest first, up to a limit', async () => {
    const q = new BoundedQueue<number>(10);
    for (const n of [1, 2, 3, 4, 5]) q.push(n);
    assert.deepEqual(await q.next(), { value: 1, done: false });
    assert.deepEqual(q.takeBuffered(3), [2, 3, 4]);
    assert.deepEqual(q.takeBuffered(3), [5]);
    assert.deepEqual(q.takeBuffered(3), []);
    assert.equal(q.size, 0);
    for (const n of [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) assert.equal(q.push(n), true, 'taken items free their room');
    q.end();
    assert.deepEqual(q.takeBuffered(3), [], 'nothing once ended');
  });

  it('stays compact over many items', async () => {
    const q = new BoundedQueue<number>(5000);
    for (let round = 0; round < 5; round += 1) {
      for (let i = 0; i < 3000; i += 1) q.push(i);
      for (let i = 0; i < 3000; i += 1) assert.equal((await q.next()).value, i);
    }
    assert.equal(q.size, 0);
  });
});

describe('realtime configuration', () => {
  it('reads the Redis channel prefix and the subscriber backlog, naming the variable when wrong', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.redisPrefix, 'hookgraph');
    assert.equal(defaults.subscriptionBacklog, 10_000);
    const set = loadConfig({ HOOKGRAPH_REDIS_PREFIX: 'staging:eu', HOOKGRAPH_SUBSCRIPTION_BACKLOG: '50' });
    assert.equal(set.redisPrefix, 'staging:eu');
    assert.equal(set.subscriptionBacklog, 50);
    assert.throws(() => loadConfig({ HOOKGRAPH_REDIS_PREFIX: 'has space' }), /HOOKGRAPH_REDIS_PREFIX/);
    assert.throws(() => loadConfig({ HOOKGRAPH_SUBSCRIPTION_BACKLOG: '0' }), /HOOKGRAPH_SUBSCRIPTION_BACKLOG/);
  });
});

describe('LatestVersions', () => {
  it('flags a change no later than one already seen, and forgets the least recently changed first', () => {
    const v = new LatestVersions(2);
    assert.equal(v.isStale('a', 2), false);
    assert.equal(v.isStale('a', 2), true, 'the same version again is nothing new');
    assert.equal(v.isStale('a', 1), true);
    assert.equal(v.isStale('b', 5), false);
    assert.equal(v.isStale('a', 3), false);
    assert.equal(v.isStale('c', 1), false); // evicts b, the least recently changed
    assert.equal(v.isStale('a', 2), true, 'a was kept');
    assert.equal(v.isStale('b', 1), false, 'b was forgotten');
  });

  it('remembers at least the last capacity / 2 changed deliveries, and forgets older ones', () => {
    const v = new LatestVersions(4);
    for (const id of ['a', 'b', 'c', 'd']) v.isStale(id, 10);
    for (const id of ['c', 'd']) assert.equal(v.isStale(id, 9), true, `${id} is among the last two`);
    assert.equal(v.isStale('a', 9), true, 'a is still within the capacity');
    v.isStale('e', 10);
    v.isStale('f', 10);
    assert.equal(v.isStale('b', 9), false, 'b was forgotten');
    for (const id of ['e', 'f']) assert.equal(v.isStale(id, 9), true, `${id} is among the last two`);
  });

  it('drops a creation (version 0) that arrives after any other change to the delivery', () => {
    const v = new LatestVersions();
    assert.equal(v.isStale('d', 1), false, 'claimed');
    assert.equal(v.isStale('d', 0), true, 'created after being claimed: late');
    assert.equal(v.isStale('d', 2), false, 'what changes next still goes out');
  });
});

describe('PreSerialized', () => {
  const json = JSON.stringify({ data: { deliveryUpdated: { id: 'dlv_1', note: 'quote " and \u2063 mark' } } });

  it('puts the JSON serialized once into every message built around it', () => {
    const shared = new PreSerialized([json]);
    for (const id of ['1', 'abc', 'x"y']) {
      const messages = PreSerialized.splice(JSON.stringify({ id, type: 'next', payload: shared }));
      assert.deepEqual(
        messages.map((m) => JSON.parse(m)),
        [{ id, type: 'next', payload: JSON.parse(json) }],
      );
    }
  });

  it('makes one message per payload, in order', () => {
    const second = JSON.stringify({ data: { deliveryUpdated: { id: 'dlv_2' } } });
    const messages = PreSerialized.splice(JSON.stringify({ id: '7', type: 'next', payload: new PreSerialized([json, second]) }));
    assert.deepEqual(
      messages.map((m) => JSON.parse(m)),
      [
        { id: '7', type: 'next', payload: JSON.parse(json) },
        { id: '7', type: 'next', payload: JSON.parse(second) },
      ],
    );
  });

  it('leaves other messages alone', () => {
    const plain = JSON.stringify({ id: '1', type: 'complete' });
    assert.deepEqual(PreSerialized.splice(plain), [plain]);
    JSON.stringify({ payload: new PreSerialized(['{}']) }); // a marker nobody sends…
    assert.deepEqual(PreSerialized.splice(plain), [plain], '…is not spliced into the next message');
  });
});

describe("SubscriberHub as the bridge's audience", () => {
  it('wants a topic in-process only while someone subscribes to it; a change that went to nobody still makes older ones stale', async () => {
    const pubsub = createHookgraphPubSub({ redisUrl: undefined, namespace: 'unit' });
    const hub = new SubscriberHub(pubsub, { maxBacklog: 10 }, () => undefined);
    await hub.start();
    try {
      assert.equal(hub.wants('deliveryUpdated'), false, 'nobody listens: the bridge skips encoding');
      // Version 5 went to nobody; then someone subscribes and version 3 is announced late.
      hub.passed(delivery.id, 5);
      const stream = hub.subscribe(
        'deliveryUpdated',
        () => true,
        () => undefined,
      );
      assert.equal(hub.wants('deliveryUpdated'), true);
      assert.equal(hub.wants('eventPublished'), false, 'per topic');
      pubsub.publish('deliveryUpdated', { delivery: { ...delivery, version: 3 }, attempt: null });
      pubsub.publish('deliveryUpdated', { delivery: { ...delivery, version: 6 }, attempt: null });
      const first = await stream.next();
      assert.equal(first.value.delivery.version, 6, 'the late older change was dropped');
      assert.equal(hub.stats().stale, 1);
      await stream.return!();
      assert.equal(hub.wants('deliveryUpdated'), false, 'and not once the subscriber left');
    } finally {
      await hub.stop();
      await pubsub.stop();
    }
  });

  it('drops a creation or a retry announced by one process after another process’s later change to the delivery', async () => {
    // Two bridges over one in-process pub/sub stand for two processes; it delivers in the
    // order published, so the test chooses the order in which Redis hands them over.
    const pubsub = createHookgraphPubSub({ redisUrl: undefined, namespace: 'unit' });
    const hub = new SubscriberHub(pubsub, { maxBacklog: 10 }, () => undefined);
    const [onA, onB] = [new Signals(), new Signals()];
    const unbridge = [bridgeSignals(onA, pubsub, hub), bridgeSignals(onB, pubsub, hub)];
    await hub.start();
    try {
      const stream = hub.subscribe(
        'deliveryUpdated',
        () => true,
        () => undefined,
      );
      // b's clock runs 20 ms ahead of a's.
      const onClockOfA = (ms: number) => new Date(NOW.getTime() + ms);
      const onClockOfB = (ms: number) => new Date(NOW.getTime() + ms + 20);
      const created: DeliveryEntity = {
        id: 'dlv_01JRACE',
        tenantId: 'tnt_00000000000000000000000000',
        eventId: 'evt_01JRACE',
        webhookId: 'whk_01JRACE',
        destinationId: 'dst_01JRACE',
        eventType: 'order.created',
        status: 'PENDING',
        trigger: 'AUTOMATIC',
        attemptCount: 0,
        dueAt: onClockOfB(0),
        leaseOwner: null,
        orderingKey: null,
        lastStatusCode: null,
        lastError: null,
        createdAt: onClockOfB(0),
        updatedAt: onClockOfB(0),
        completedAt: null,
        version: 0,
      };
      // b committed the publish; a's dispatcher claimed the delivery and announced it
      // before b's announcement of the publish reached Redis.
      onA.emit('deliveryUpdated', { ...created, status: 'IN_FLIGHT', leaseOwner: 'a', updatedAt: onClockOfA(5), version: 1 }, null);
      onB.emit('deliveriesCreated', [created], []);
      const failed = {
        ...created,
        status: 'FAILED' as const,
        attemptCount: 1,
        dueAt: null,
        updatedAt: onClockOfA(10),
        completedAt: onClockOfA(10),
        version: 2,
      };
      onA.emit('deliveryUpdated', failed, null);
      // Retried by hand on b; a's dispatcher claimed it again and announced that before
      // b's retry reached Redis. b's clock is ahead: only the versions tell the order.
      const retried = { ...failed, status: 'PENDING' as const, trigger: 'MANUAL_RETRY' as const, completedAt: null, updatedAt: onClockOfB(15), version: 3 };
      onA.emit('deliveryUpdated', { ...retried, status: 'IN_FLIGHT', leaseOwner: 'a', updatedAt: onClockOfA(16), version: 4 }, null);
      onB.emit('deliveryUpdated', retried, null);
      onA.emit(
        'deliveryUpdated',
        { ...retried, status: 'SUCCEEDED', attemptCount: 2, updatedAt: onClockOfA(20), completedAt: onClockOfA(20), version: 5 },
        null,
      );
      const statuses: string[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await stream.next()).value.delivery.status);
      assert.deepEqual(statuses, ['IN_FLIGHT', 'FAILED', 'IN_FLIGHT', 'SUCCEEDED']);
      assert.equal(hub.stats().stale, 2, 'the late creation and the late retry');
    } finally {
      for (const off of unbridge) off();
      await hub.stop();
      await pubsub.stop();
    }
  });
});
