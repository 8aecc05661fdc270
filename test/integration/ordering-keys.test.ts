import assert from 'node:assert/strict';
import { it } from 'node:test';
import { publish } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { route, waitDelivery } from './dispatch-support';

/** A retry about a second later, then again. */
const RETRY_SOON = { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [1, 1], maxAttempts: 3 } };

/**
 * Ordering keys through the API: a key's deliveries go out one at a time and in
 * order, a retrying one holds back only its own key, and deliveries without a key are
 * not held at all.
 */
forEachDatabase('ordering keys', (ctx) => {
  const receiver = useReceiver();

  it('sends a key in order, one at a time, while a stuck key holds back only itself', async () => {
    const t = ctx();
    const r = await route(t, receiver.url, RETRY_SOON);
    // The first request fails (a retry about a second later), everything after it succeeds.
    receiver.script({ kind: 'status', status: 503 });
    const a1 = await publish(t, { type: r.type, data: { n: 1 }, orderingKey: 'order-a' });
    await receiver.waitFor(1);
    const a2 = await publish(t, { type: r.type, data: { n: 2 }, orderingKey: 'order-a' });
    const a3 = await publish(t, { type: r.type, data: { n: 3 }, orderingKey: 'order-a' });
    const b1 = await publish(t, { type: r.type, data: { n: 1 }, orderingKey: 'order-b' });
    const free = await publish(t, { type: r.type, data: { n: 0 }, orderingKey: null });

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
