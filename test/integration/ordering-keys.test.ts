import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { TestApp } from '../support/app';
import { Receiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { route, waitDelivery } from './dispatch-support';

/** A retry about a second later, then again. */
const RETRY_SOON = { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [1, 1], maxAttempts: 3 } };

async function publishKeyed(t: TestApp, type: string, orderingKey: string | null, n: number): Promise<{ eventId: string; deliveryId: string }> {
  const res = await t.gql(`mutation($input: EventPublishInput!) { eventPublish(input: $input) { event { id } deliveries { id } } }`, {
    input: { type, data: { n }, orderingKey },
  });
  return { eventId: res.data.eventPublish.event.id, deliveryId: res.data.eventPublish.deliveries[0].id };
}

/**
 * SPEC §2 ordering keys through the API: a key's deliveries go out one at a time and in
 * order, a retrying one holds back only its own key, and deliveries without a key are
 * not held at all.
 */
forEachDatabase('ordering keys', (ctx) => {
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
  });
  after(async () => {
    await receiver.stop();
  });

  it('sends a key in order, one at a time, while a stuck key holds back only itself', async () => {
    const t = ctx();
    const r = await route(t, receiver.url, RETRY_SOON);
    // The first request fails (a retry about a second later), everything after it succeeds.
    receiver.script({ kind: 'status', status: 503 });
    const a1 = await publishKeyed(t, r.type, 'order-a', 1);
    await receiver.waitFor(1);
    const a2 = await publishKeyed(t, r.type, 'order-a', 2);
    const a3 = await publishKeyed(t, r.type, 'order-a', 3);
    const b1 = await publishKeyed(t, r.type, 'order-b', 1);
    const free = await publishKeyed(t, r.type, null, 0);

    for (const d of [b1, free]) await waitDelivery(t, d.deliveryId, (v) => v.status === 'SUCCEEDED');
    assert.equal((await waitDelivery(t, a2.deliveryId, () => true)).attemptCount, 0, 'a2 waits while a1 retries');
    for (const d of [a1, a2, a3]) await waitDelivery(t, d.deliveryId, (v) => v.status === 'SUCCEEDED', 15_000);

    const arrivals = receiver.requests.map((q) => String(q.headers['webhook-id']));
    const at = (id: string) => arrivals.lastIndexOf(id);
    assert.equal(arrivals.filter((id) => id === a1.eventId).length, 2, 'a1 failed once, then succeeded');
    assert.ok(at(b1.eventId) < at(a1.eventId) && at(free.eventId) < at(a1.eventId), 'the other key and the unkeyed event went ahead');
    assert.ok(at(a1.eventId) < arrivals.indexOf(a2.eventId) && arrivals.indexOf(a2.eventId) < arrivals.indexOf(a3.eventId), arrivals.join(' '));
  });
});
