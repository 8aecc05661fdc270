import assert from 'node:assert/strict';
import { it } from 'node:test';
import { encodeTime } from 'ulid';
import { Retention } from '../../src/dispatch/retention';
import { DAY } from '../../src/domain/common/time';
import { STATS_TABLES } from '../../src/sql/stats-columns';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { pauseDestination } from '../support/fixtures';
import { postRaw } from '../support/inbound';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { route, waitDelivery } from './dispatch-support';

/**
 * Retention on the real database: events published and delivered through the
 * API, then pruned as if the retention age had passed. What is pruned is read back
 * through the API (and the attempts from the table).
 */
forEachDatabase('retention', (ctx) => {
  const ok = useReceiver();
  const refusing = useReceiver();
  refusing.behave({ kind: 'status', status: 400 });

  const node = async (t: TestApp, id: string) => (await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id })).data.node as { id: string } | null;
  const eventCount = async (t: TestApp) =>
    Number(((await t.app.services.db.dataSource.query(`SELECT COUNT(*) AS n FROM events`)) as { n: number | string }[])[0]!.n);
  /** Rows of attempt statistics, minutes and hours. */
  const statsRows = async (t: TestApp) => {
    let n = 0;
    for (const table of STATS_TABLES)
      n += Number(((await t.app.services.db.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number | string }[])[0]!.n);
    return n;
  };
  const attemptsOf = async (t: TestApp, deliveryId: string) =>
    Number(
      (
        (await t.app.services.db.dataSource.query(`SELECT COUNT(*) AS n FROM delivery_attempts WHERE delivery_id = ?`, [deliveryId])) as {
          n: number | string;
        }[]
      )[0]!.n,
    );

  it('deletes old events whose deliveries all finished, keeps FAILED ones until they expire or are retried, and never touches open ones', async () => {
    const t = ctx();
    const delivered = await route(t, ok.url);
    const refused = await route(t, refusing.url);
    const held = await route(t, ok.url);
    await pauseDestination(t, held.destinationId);

    const success = await publish(t, { type: delivered.type });
    const failure = await publish(t, { type: refused.type });
    const retried = await publish(t, { type: refused.type });
    const waiting = await publish(t, { type: held.type });
    const unrouted = (await publish(t, { type: 'nobody.listens', data: {} })).eventId;
    await waitDelivery(t, success.deliveryId, (d) => d.status === 'SUCCEEDED');
    await waitDelivery(t, failure.deliveryId, (d) => d.status === 'FAILED');
    await waitDelivery(t, retried.deliveryId, (d) => d.status === 'FAILED');
    assert.equal(await attemptsOf(t, success.deliveryId), 1);

    // Batches of two: the walk goes past events it keeps.
    const retention = new Retention(t.app.services.db, t.app.log, { days: 30, failedDays: 90 }, { batchSize: 2 });
    const now = Date.now();
    assert.deepEqual(await retention.prune(new Date(now)), { events: 0, deliveries: 0, attempts: 0, listenerRequests: 0, statsRows: 0 }, 'nothing is old yet');

    const events = await eventCount(t);
    const month = await retention.prune(new Date(now + 31 * DAY));
    // The events of the success and of nobody, and the system events (webhook.created,
    // delivery.failed: no webhook here takes them).
    // Attempt statistics are kept 32 days, whatever happens to the attempts.
    assert.deepEqual(month, { events: events - (await eventCount(t)), deliveries: 1, attempts: 1, listenerRequests: 0, statsRows: 0 });
    assert.equal(await eventCount(t), 3);
    assert.equal(await node(t, success.eventId), null);
    assert.equal(await node(t, success.deliveryId), null);
    assert.equal(await attemptsOf(t, success.deliveryId), 0);
    assert.equal(await node(t, unrouted), null);
    for (const kept of [failure, retried, waiting]) {
      assert.ok(await node(t, kept.eventId), 'an event with a FAILED or open delivery is kept');
      assert.ok(await node(t, kept.deliveryId));
    }
    assert.equal(await attemptsOf(t, failure.deliveryId), 1, 'a kept delivery keeps its attempts');

    // A retried delivery is open again (its destination paused: it stays PENDING).
    await pauseDestination(t, refused.destinationId);
    const retry = await t.gql(`mutation($id: ID!) { deliveryRetry(id: $id) { delivery { status } userErrors { code } } }`, { id: retried.deliveryId });
    assert.equal(retry.data.deliveryRetry.delivery.status, 'PENDING');

    // A row per destination and minute, and per destination and hour: the three attempts made four to six.
    const rows = await statsRows(t);
    assert.ok(rows >= 4);
    const later = await retention.prune(new Date(now + 91 * DAY));
    assert.deepEqual(
      later,
      { events: 1, deliveries: 1, attempts: 1, listenerRequests: 0, statsRows: rows },
      'the expired FAILED delivery and old statistics go',
    );
    assert.equal(await statsRows(t), 0);
    assert.equal(await node(t, failure.eventId), null);
    assert.ok(await node(t, retried.deliveryId), 'a retried delivery is kept');
    assert.ok(await node(t, waiting.deliveryId), 'a waiting delivery is kept');
    assert.equal(await attemptsOf(t, retried.deliveryId), 1);
  });

  it('keeps FAILED deliveries until retried when failedDays is 0', async () => {
    const t = ctx();
    const refused = await route(t, refusing.url);
    const failure = await publish(t, { type: refused.type });
    await waitDelivery(t, failure.deliveryId, (d) => d.status === 'FAILED');
    const retention = new Retention(t.app.services.db, t.app.log, { days: 1, failedDays: 0 });
    await retention.prune(new Date(Date.now() + 10_000 * DAY));
    assert.ok(await node(t, failure.deliveryId));
  });

  it("deletes requests captured by a listener, and keeps the listener's sample data", async () => {
    const t = ctx();
    const created = await t.gql(
      `mutation { listenerCreate(input: { name: "captured", eventType: "in.came" }) { listener { id url } userErrors { message } } }`,
    );
    const listener = created.data.listenerCreate.listener as { id: string; url: string };
    await t.gql(`mutation($id: ID!) { listenerCaptureStart(id: $id, minutes: 5) { userErrors { code } } }`, { id: listener.id });
    assert.equal((await postRaw(listener.url, '{"n":1}', { 'content-type': 'application/json' })).status, 204);
    const read = async () =>
      (
        await t.gql(`query($id: ID!) { listenerRequests(id: $id, first: 10) { totalCount } node(id: $id) { ... on Listener { sampleData } } }`, {
          id: listener.id,
        })
      ).data;
    assert.equal((await read()).listenerRequests.totalCount, 1);

    const retention = new Retention(t.app.services.db, t.app.log, { days: 30, failedDays: 90 });
    assert.equal((await retention.prune(new Date())).listenerRequests, 0);
    assert.equal((await retention.prune(new Date(Date.now() + 31 * DAY))).listenerRequests, 1);
    const after = await read();
    assert.equal(after.listenerRequests.totalCount, 0);
    assert.deepEqual(after.node.sampleData, { n: 1 });
  });

  it('prunes on its own schedule in a running process', async () => {
    const t = ctx();
    // An event of 40 days ago, as a publish then would have stored it.
    const old = Date.now() - 40 * DAY;
    const id = `evt_${encodeTime(old, 10)}${'0'.repeat(15)}1`;
    await t.app.services.db.dataSource.query(
      `INSERT INTO events (id, type, data, source, occurred_at, created_at) VALUES (?, 'old.thing', '{}', 'API', ?, ?)`,
      [id, old, old],
    );
    assert.ok(await node(t, id));
    const retention = new Retention(t.app.services.db, t.app.log, { days: 30, failedDays: 90 }, { firstPassMs: 10 });
    retention.start();
    try {
      await eventually(async () => (await node(t, id)) === null, 5000);
    } finally {
      await retention.stop();
    }
  });
});
