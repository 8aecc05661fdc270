import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createDestination, createWebhook, pauseDestination } from '../support/fixtures';
import { publish, type PublishInput } from '../support/publish';
import { forEachDatabase } from '../support/suite';

forEachDatabase('publishing and fan-out', (ctx) => {
  it('creates one PENDING delivery per matching enabled webhook, in the same call', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    await pauseDestination(t, dest.id); // hold the deliveries so their PENDING state can be read back
    const exact = await createWebhook(t, dest.id, { eventTypes: ['order.created'] });
    const prefix = await createWebhook(t, dest.id, { eventTypes: ['order.*'] });
    const all = await createWebhook(t, dest.id, { eventTypes: ['*'] });
    const otherType = await createWebhook(t, dest.id, { eventTypes: ['invoice.*'] });
    const disabled = await createWebhook(t, dest.id, { eventTypes: ['*'], enabled: false });
    const bigOnly = await createWebhook(t, dest.id, { eventTypes: ['order.*'], filter: { total: { $gte: 100 } } });
    const deOnly = await createWebhook(t, dest.id, { eventTypes: ['order.*'], filter: { 'customer.country': { $in: ['DE'] } } });

    const small = await publish(t, { type: 'order.created', entityId: 'o-1', data: { total: 5, customer: { country: 'DE' } } });
    assert.deepEqual(small.userErrors, []);
    assert.equal(small.event.source, 'API');
    const routed = new Set(small.deliveries.map((d) => d.webhookId));
    assert.deepEqual(routed, new Set([exact, prefix, all, deOnly]));
    assert.ok(!routed.has(otherType) && !routed.has(disabled) && !routed.has(bigOnly));
    assert.ok(small.deliveries.every((d) => d.status === 'PENDING' && d.destinationId === dest.id));

    const big = await publish(t, { type: 'order.updated', data: { total: 500, customer: { country: 'FR' } } });
    assert.deepEqual(new Set(big.deliveries.map((d) => d.webhookId)), new Set([prefix, all, bigOnly]));

    const read = await t.gql(
      `query($e: ID) { deliveries(filter: { eventId: $e }, first: 50) { totalCount nodes { id status attemptCount trigger event { id type } webhook { id } destination { id } attempts(first: 5) { nodes { id } } } } }`,
      { e: small.event.id },
    );
    assert.equal(read.data.deliveries.totalCount, 4);
    for (const node of read.data.deliveries.nodes) {
      assert.equal(node.status, 'PENDING');
      assert.equal(node.attemptCount, 0);
      assert.equal(node.trigger, 'AUTOMATIC');
      assert.deepEqual(node.event, { id: small.event.id, type: 'order.created' });
      assert.equal(node.destination.id, dest.id);
      assert.deepEqual(node.attempts.nodes, []);
    }
  });

  it('returns the first event for a repeated idempotency key and creates nothing', async () => {
    const t = ctx();
    const first = await publish(t, { type: 'payment.received', data: { n: 1 }, idempotencyKey: 'pay-77' });
    assert.equal(first.replayed, false);
    const second = await publish(t, { type: 'payment.received', data: { n: 1 }, idempotencyKey: 'pay-77' });
    assert.equal(second.replayed, true);
    assert.equal(second.event.id, first.event.id);
    assert.deepEqual(second.event.data, { n: 1 });
    assert.deepEqual(second.deliveries.map((d) => d.id).sort(), first.deliveries.map((d) => d.id).sort());
    const events = await t.gql(`{ events(type: ["payment.received"]) { totalCount } }`);
    assert.equal(events.data.events.totalCount, 1);
    // concurrent publishes with one key still make one event
    const racers = await Promise.all([1, 2, 3, 4, 5].map(() => publish(t, { type: 'payment.raced', data: { n: 1 }, idempotencyKey: 'race-1' })));
    assert.equal(new Set(racers.map((r) => r.event.id)).size, 1);
    const raced = await t.gql(`{ events(type: ["payment.raced"]) { totalCount } }`);
    assert.equal(raced.data.events.totalCount, 1);
  });

  it('writes concurrent publishes together, and a clash of idempotency keys fails none of their neighbours', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    await pauseDestination(t, dest.id);
    await createWebhook(t, dest.id, { eventTypes: ['group.*'] });
    // Published in one turn of the event loop (through the service the resolver calls),
    // these share one write. Rows 3 and 8 are one event with the same new key: both pass the
    // replay check, the shared write fails on the key, and each publish is written again alone.
    const events = t.app.services.events;
    const keyed = (n: number) => n === 3 || n === 8;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        events.publish({ type: 'group.row', data: { n: keyed(n) ? 'keyed' : n }, idempotencyKey: keyed(n) ? 'group-key' : null }),
      ),
    );
    const [row3, row8] = [results[3]!, results[8]!]; // 12 results, one per publish
    assert.equal(row3.event.id, row8.event.id);
    assert.deepEqual([row3.replayed, row8.replayed].sort(), [false, true]);
    assert.equal(new Set(results.map((r) => r.event.id)).size, 11);
    assert.ok(results.every((r) => r.deliveries.filter((d) => d.destinationId === dest.id).length === 1));
    const stored = await t.gql(`{ events(type: ["group.row"]) { totalCount } }`);
    assert.equal(stored.data.events.totalCount, 11);
    const deliveries = await t.gql(`query($d: ID) { deliveries(filter: { destinationId: $d }, first: 50) { totalCount } }`, { d: dest.id });
    assert.equal(deliveries.data.deliveries.totalCount, 11);
  });

  it('publishes a batch: each row an event with its 1-based row number and the sync mode', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    const hook = await createWebhook(t, dest.id, { eventTypes: ['contact.synced'] });
    const res = await t.gql(
      `mutation($input: EventPublishBatchInput!) { eventPublishBatch(input: $input) { events { id type entityId rowNumber syncMode data } userErrors { field code } } }`,
      {
        input: {
          type: 'contact.synced',
          syncMode: 'UPSERT',
          entityIdField: 'user.id',
          rows: [{ user: { id: 7 }, email: 'a@x' }, { user: { id: 8 }, email: 'b@x' }, { email: 'c@x' }],
        },
      },
    );
    const { events, userErrors } = res.data.eventPublishBatch;
    assert.deepEqual(userErrors, []);
    assert.deepEqual(
      events.map((e: { rowNumber: number }) => e.rowNumber),
      [1, 2, 3],
    );
    assert.ok(events.every((e: { syncMode: string }) => e.syncMode === 'UPSERT'));
    assert.deepEqual(
      events.map((e: { entityId: string | null }) => e.entityId),
      ['7', '8', null],
    );
    const deliveries = await t.gql(`query($w: ID) { deliveries(filter: { webhookId: $w }) { totalCount } }`, { w: hook });
    assert.equal(deliveries.data.deliveries.totalCount, 3);

    const bad = await t.gql(`mutation($input: EventPublishBatchInput!) { eventPublishBatch(input: $input) { events { id } userErrors { field code } } }`, {
      input: { type: 'contact.synced', syncMode: 'MIRROR', rows: [{ ok: 1 }, 'not an object'] },
    });
    assert.deepEqual(bad.data.eventPublishBatch.userErrors, [{ field: ['rows', '1'], code: 'INVALID' }]);
    const after = await t.gql(`{ events(type: ["contact.synced"]) { totalCount } }`);
    assert.equal(after.data.events.totalCount, 3, 'a refused batch stores none of its rows');
  });

  it('refuses bad events with userErrors', async () => {
    const t = ctx();
    const cases: [PublishInput, string, string][] = [
      [{ type: 'bad type!' }, 'INVALID', 'type'],
      [{ type: '' }, 'INVALID', 'type'],
      [{ type: 'x.y', entityUrl: 'not a url' }, 'INVALID_URL', 'entityUrl'],
      [{ type: 'x.y', idempotencyKey: 'k'.repeat(201) }, 'INVALID', 'idempotencyKey'],
      [{ type: 'x.y', data: { blob: 'x'.repeat(600 * 1024) } }, 'TOO_LARGE', 'data'],
    ];
    for (const [input, code, field] of cases) {
      const res = await publish(t, input);
      assert.equal(res.userErrors[0]?.code, code, JSON.stringify(res.userErrors));
      assert.equal(res.userErrors[0].field[0], field);
      assert.equal(res.event, null);
    }
  });
});
