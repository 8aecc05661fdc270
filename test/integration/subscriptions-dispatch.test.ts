import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { publish } from '../support/publish';
import { Receiver, useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import type { TestApp } from '../support/app';
import { connected, subscribe, wsClient, type Stream } from '../support/ws-client';
import { deliveryStatuses } from './dispatch-support';

const UPDATES = `subscription($f: DeliveryFilter) {
  deliveryUpdated(filter: $f) { id status trigger attemptCount lastStatusCode latestAttempt { responseStatusCode outcome } }
}`;

/** The dispatcher's own status changes, as subscribers see them: in order, each one the database held. */
forEachDatabase('subscriptions: the dispatcher’s changes', (ctx) => {
  const receiver = useReceiver();
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });

  async function watch(t: TestApp, filter: Record<string, unknown>): Promise<Stream<any>> {
    const before = t.app.realtime.hub.stats().subscribers;
    const c = wsClient(t.url, t.adminKey);
    clients.push(c);
    await connected(c);
    const stream = subscribe(c, UPDATES, { f: filter });
    await eventually(async () => t.app.realtime.hub.stats().subscribers > before);
    return stream;
  }

  it('streams PENDING → IN_FLIGHT → SUCCEEDED with the attempt as the dispatcher delivers', async () => {
    const t = ctx();
    receiver.behave({ kind: 'status', status: 200 });
    const dest = await createDestination(t, { url: `${receiver.url}/ok` });
    const hook = await createWebhook(t, dest.id, { eventTypes: ['order.shipped'] });
    const stream = await watch(t, { webhookId: hook });
    const attempts = subscribe(
      clients[0]!, // opened by watch()
      `subscription($f: DeliveryFilter) { deliveryAttemptCompleted(filter: $f) { deliveryId responseStatusCode outcome } }`,
      {
        f: { webhookId: hook },
      },
    );
    await eventually(async () => t.app.realtime.hub.stats().subscribers >= 2);
    const { deliveries, deliveryId: id } = await publish(t, { type: 'order.shipped', data: { box: 1 } });
    // A destination the dispatcher has not read yet: the delivery waits PENDING for a claim.
    assert.equal(deliveries[0]?.status, 'PENDING');
    assert.deepEqual(await deliveryStatuses(stream, id, 'SUCCEEDED'), ['PENDING', 'IN_FLIGHT', 'SUCCEEDED']);
    assert.deepEqual((await attempts.next(15_000)).data!.deliveryAttemptCompleted, { deliveryId: id, responseStatusCode: 200, outcome: 'SUCCESS' });
    const stored = await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status attemptCount } } }`, { id });
    assert.deepEqual(stored.data.node, { status: 'SUCCEEDED', attemptCount: 1 });
  });

  it('streams a failure, a manual retry and its result, in order', async () => {
    const t = ctx();
    const failing = await Receiver.start();
    try {
      failing.behave({ kind: 'status', status: 500 });
      const dest = await createDestination(t, { url: `${failing.url}/broken`, retryPolicy: { maxAttempts: 1 } });
      const hook = await createWebhook(t, dest.id, { eventTypes: ['invoice.due'] });
      const stream = await watch(t, { webhookId: hook });
      const { deliveries, deliveryId: id } = await publish(t, { type: 'invoice.due' });
      assert.equal(deliveries[0]?.status, 'PENDING');
      assert.deepEqual(await deliveryStatuses(stream, id, 'FAILED'), ['PENDING', 'IN_FLIGHT', 'FAILED']);

      failing.behave({ kind: 'status', status: 204 });
      const retried = await t.gql(`mutation($id: ID!) { deliveryRetry(id: $id) { userErrors { code } } }`, { id });
      assert.deepEqual(retried.data.deliveryRetry.userErrors, []);
      assert.deepEqual(await deliveryStatuses(stream, id, 'SUCCEEDED'), ['PENDING', 'IN_FLIGHT', 'SUCCEEDED']);
    } finally {
      await failing.stop();
    }
  });
});
