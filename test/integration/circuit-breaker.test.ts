import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { useReceiver, type Receiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { readDelivery, route, waitDelivery, type Route } from './dispatch-support';

/** One attempt per delivery: each failure counts once, and the delivery is FAILED at once. */
const ONE_ATTEMPT = { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [], maxAttempts: 1 } };

interface Circuit {
  failureStreak: number;
  failingSince: string | null;
  openUntil: string | null;
}

/**
 * A route to a receiver that answers 503, and `failures` deliveries to it one after the
 * other, each FAILED (one attempt) before the next: a streak that opens a breaker whose
 * threshold it reaches.
 */
async function failingRoute(t: TestApp, receiver: Receiver, failures: number): Promise<Route> {
  receiver.behave({ kind: 'status', status: 503 });
  const r = await route(t, receiver.url, ONE_ATTEMPT);
  for (let i = 0; i < failures; i++) await waitDelivery(t, (await publish(t, { type: r.type, data: { i } })).deliveryId, (d) => d.status === 'FAILED');
  return r;
}

async function destination(t: TestApp, id: string): Promise<{ status: string; statusReason: string | null; circuit: Circuit }> {
  const res = await t.gql(`query($id: ID!) { node(id: $id) { ... on Destination { status statusReason circuit { failureStreak failingSince openUntil } } } }`, {
    id,
  });
  return res.data.node;
}

/**
 * The circuit breaker with a threshold of 3 and a hold of 600 ms: attempts
 * that find the endpoint down open it, it holds the deliveries (nothing dropped), then
 * probes with one request; a success closes it, a failure opens it again.
 */
forEachDatabase(
  'circuit breaker',
  (ctx) => {
    const receiver = useReceiver();

    it('opens after 3 failures in a row, holds deliveries until it probes, and closes on the probe’s success', async () => {
      const t = ctx();
      const r = await failingRoute(t, receiver, 3);
      const open = await destination(t, r.destinationId);
      assert.equal(open.status, 'ACTIVE', 'the breaker pauses sending; it does not change the status');
      assert.equal(open.circuit.failureStreak, 3);
      assert.ok(open.circuit.failingSince);
      assert.ok(open.circuit.openUntil && Date.parse(open.circuit.openUntil) > Date.now() - 1000);
      const openUntil = Date.parse(open.circuit.openUntil);

      receiver.behave({ kind: 'status', status: 200 });
      const sentBefore = receiver.requests.length;
      const held = await publish(t, { type: r.type, data: { held: true } });
      const delivered = await waitDelivery(t, held.deliveryId, (d) => d.status === 'SUCCEEDED', 15_000);
      assert.equal(delivered.attemptCount, 1);
      const probe = receiver.requests.slice(sentBefore);
      assert.equal(probe.length, 1);
      assert.ok(probe[0]!.at >= openUntil - 5, `sent ${openUntil - probe[0]!.at} ms before the hold ended`);
      await eventually(async () => (await destination(t, r.destinationId)).circuit.failureStreak === 0);
      assert.deepEqual((await destination(t, r.destinationId)).circuit, { failureStreak: 0, failingSince: null, openUntil: null });
    });

    it('opens again when the probe fails, and probes one request at a time', async () => {
      const t = ctx();
      receiver.reset();
      const r = await failingRoute(t, receiver, 3);
      const first = Date.parse((await destination(t, r.destinationId)).circuit.openUntil!);

      // Three deliveries wait for the probe; the endpoint answers slowly, and still fails.
      receiver.behave({ kind: 'status', status: 503, delayMs: 150 });
      const sentBefore = receiver.requests.length;
      const waiting = [await publish(t, { type: r.type }), await publish(t, { type: r.type }), await publish(t, { type: r.type })];
      const reopened = await eventually(async () => {
        const c = (await destination(t, r.destinationId)).circuit;
        return c.openUntil && Date.parse(c.openUntil) > first ? c : null;
      }, 15_000);
      assert.equal(reopened.failureStreak, 4);
      assert.equal(receiver.requests.length - sentBefore, 1, 'one probe');
      // Each later probe waits out the hold again (600 ms): one request at a time, spaced.
      for (const w of waiting) await waitDelivery(t, w.deliveryId, (d) => d.status === 'FAILED', 15_000);
      const probes = receiver.requests.slice(sentBefore).map((q) => q.at);
      assert.equal(probes.length, 3);
      assert.equal(receiver.maxOpen, 1);
      for (let i = 1; i < probes.length; i++) assert.ok(probes[i]! - probes[i - 1]! >= 550, `probes ${probes[i]! - probes[i - 1]!} ms apart`);
      assert.equal((await destination(t, r.destinationId)).circuit.failureStreak, 6);
    });
  },
  { HOOKGRAPH_BREAKER_THRESHOLD: '3', HOOKGRAPH_BREAKER_OPEN_MS: '600', HOOKGRAPH_BREAKER_DISABLE_AFTER_MS: '0' },
);

/** Failing without a success for longer than the window disables the destination; re-enabling resumes. */
forEachDatabase(
  'circuit breaker: disabling',
  (ctx) => {
    const receiver = useReceiver();

    it('disables a destination failing for longer than the window, keeps its deliveries, and starts afresh when re-enabled', async () => {
      const t = ctx();
      receiver.behave({ kind: 'status', status: 503 });
      const r = await route(t, receiver.url, ONE_ATTEMPT);
      await waitDelivery(t, (await publish(t, { type: r.type })).deliveryId, (d) => d.status === 'FAILED');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await waitDelivery(t, (await publish(t, { type: r.type })).deliveryId, (d) => d.status === 'FAILED');
      const disabled = await eventually(async () => {
        const d = await destination(t, r.destinationId);
        return d.status === 'DISABLED' ? d : null;
      }, 5000);
      assert.match(disabled.statusReason ?? '', /circuit breaker: every attempt failed for more than 0\.4 s/);
      const system = await t.gql(`{ events(type: ["destination.disabled"], first: 10) { nodes { type data } } }`);
      assert.ok(
        system.data.events.nodes.some((e: { data: { destination?: { id: string } } }) => JSON.stringify(e.data).includes(r.destinationId)),
        JSON.stringify(system.data.events.nodes),
      );

      const waiting = await publish(t, { type: r.type, data: { waits: true } });
      assert.equal((await readDelivery(t, waiting.deliveryId)).status, 'PENDING', 'nothing is dropped while disabled');
      receiver.behave({ kind: 'status', status: 200 });
      const res = await t.gql(
        `mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { destination { status circuit { failureStreak openUntil } } userErrors { code } } }`,
        {
          id: r.destinationId,
        },
      );
      assert.deepEqual(res.data.destinationUpdate.destination, { status: 'ACTIVE', circuit: { failureStreak: 0, openUntil: null } });
      await waitDelivery(t, waiting.deliveryId, (d) => d.status === 'SUCCEEDED', 10_000);
    });
  },
  { HOOKGRAPH_BREAKER_THRESHOLD: '100', HOOKGRAPH_BREAKER_DISABLE_AFTER_MS: '400' },
);

/** An operator who fixed the endpoint need not wait for the probe: setting the destination ACTIVE closes the breaker. */
forEachDatabase(
  'circuit breaker: closed by an operator',
  (ctx) => {
    const receiver = useReceiver();

    it('sends what waited at once when an ACTIVE destination is set ACTIVE again', async () => {
      const t = ctx();
      const r = await failingRoute(t, receiver, 2);
      const open = await destination(t, r.destinationId);
      assert.ok(open.circuit.openUntil && Date.parse(open.circuit.openUntil) > Date.now() + 30_000, 'held for a minute');
      const held = await publish(t, { type: r.type, data: { held: true } });
      receiver.behave({ kind: 'status', status: 200 });
      const res = await t.gql(
        `mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { destination { circuit { failureStreak openUntil } } } }`,
        {
          id: r.destinationId,
        },
      );
      assert.deepEqual(res.data.destinationUpdate.destination.circuit, { failureStreak: 0, openUntil: null });
      await waitDelivery(t, held.deliveryId, (d) => d.status === 'SUCCEEDED', 10_000);
    });
  },
  { HOOKGRAPH_BREAKER_THRESHOLD: '2', HOOKGRAPH_BREAKER_OPEN_MS: '60000' },
);

/**
 * A backlog bigger than the dispatcher's room: the deliveries claimed after the hold wait
 * behind the probe, filling the room, and the list that lets them go is read again
 * without a claim to read it (room for 2 in flight and 2 batches of 2 ahead).
 */
forEachDatabase(
  'circuit breaker: a backlog behind the probe',
  (ctx) => {
    const receiver = useReceiver();

    it('drains a backlog that fills the room once the probe succeeds', async () => {
      const t = ctx();
      const r = await failingRoute(t, receiver, 2);
      const held: string[] = [];
      for (let i = 0; i < 20; i++) held.push((await publish(t, { type: r.type, data: { held: i } })).deliveryId);
      receiver.behave({ kind: 'status', status: 200 });
      for (const id of held) await waitDelivery(t, id, (d) => d.status === 'SUCCEEDED', 15_000);
      assert.equal((await destination(t, r.destinationId)).circuit.failureStreak, 0);
    });
  },
  {
    HOOKGRAPH_BREAKER_THRESHOLD: '2',
    HOOKGRAPH_BREAKER_OPEN_MS: '300',
    HOOKGRAPH_BREAKER_DISABLE_AFTER_MS: '0',
    HOOKGRAPH_WORKER_CONCURRENCY: '2',
    HOOKGRAPH_WORKER_CLAIM_BATCH: '2',
  },
);
