import assert from 'node:assert/strict';
import { it } from 'node:test';
import mysql from 'mysql2/promise';
import { createDestination, createWebhook, pauseDestination } from '../support/fixtures';
import { publish } from '../support/publish';
import { eventually } from '../support/deferred';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';

const receiver = useReceiver();

forEachDatabase('paused destinations hold their deliveries', (ctx) => {
  it('sends nothing while PAUSED and everything once ACTIVE again', async () => {
    const t = ctx();
    receiver.reset();
    const dest = await createDestination(t, { url: `${receiver.url}/held` });
    await pauseDestination(t, dest.id);
    await createWebhook(t, dest.id, { eventTypes: ['held.thing'] });
    const published = [];
    for (let i = 0; i < 3; i++) published.push(await publish(t, { type: 'held.thing', data: { i } }));
    const ids = published.map((p) => p.deliveryId);

    // give the dispatcher several chances to (wrongly) send
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receiver.requests.length, 0, 'nothing reaches a paused destination');
    const waiting = await t.gql(`query($d: ID) { deliveries(filter: { destinationId: $d }) { nodes { status attemptCount } } }`, { d: dest.id });
    assert.deepEqual(
      waiting.data.deliveries.nodes.map((n: { status: string }) => n.status),
      ['PENDING', 'PENDING', 'PENDING'],
    );

    const res = await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { destination { status } userErrors { code } } }`, {
      id: dest.id,
    });
    assert.equal(res.data.destinationUpdate.destination.status, 'ACTIVE');
    const received = await receiver.waitFor(3, 5000);
    assert.deepEqual(new Set(received.map((r) => JSON.parse(r.body).data.i)), new Set([0, 1, 2]));
    await eventually(async () => {
      const done = await t.gql(`query($d: ID) { deliveries(filter: { destinationId: $d, status: [SUCCEEDED] }) { nodes { id } } }`, { d: dest.id });
      return done.data.deliveries.nodes.length === 3;
    });
    assert.ok(ids.every(Boolean));
  });
});

forEachDatabase(
  'a hold never undoes a re-activation committing at the same moment',
  (ctx) => {
    it('MySQL: a claim that meets a re-activation mid-commit leaves the resumed deliveries due', async (tc) => {
      const t = ctx();
      if (t.config.database.kind !== 'mysql') {
        tc.skip('one writer on SQLite: no concurrent re-activation to race');
        return;
      }
      receiver.reset();
      const dest = await createDestination(t, { url: `${receiver.url}/race` });
      await pauseDestination(t, dest.id);
      await createWebhook(t, dest.id, { eventTypes: ['race.thing'] });
      const { deliveryId: id } = await publish(t, { type: 'race.thing' });
      // Another process re-activates the destination and resumes its deliveries, and
      // holds its transaction open while this process's claims (every 50 ms) run into it.
      const other = await mysql.createConnection(t.config.database.url);
      try {
        const dueAt = async () => Number(((await other.query('SELECT due_at FROM deliveries WHERE id = ?', [id]))[0] as { due_at: number }[])[0]!.due_at);
        await eventually(async () => (await dueAt()) > Date.now() + 10_000, 5000, 20);
        await other.query('START TRANSACTION');
        await other.query(`UPDATE destinations SET status = 'ACTIVE' WHERE id = ?`, [dest.id]);
        await other.query('UPDATE deliveries SET due_at = ? WHERE destination_id = ? AND due_at > ?', [Date.now(), dest.id, Date.now()]);
        await new Promise((r) => setTimeout(r, 300));
        await other.query('COMMIT');
        // Without the lock, the waiting claim pushed the delivery back by 30 s here.
        await receiver.waitFor(1, 5000);
        await eventually(
          async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status } } }`, { id })).data.node.status === 'SUCCEEDED',
        );
      } finally {
        await other.end();
      }
    });
  },
  { HOOKGRAPH_WORKER_POLL_MS: '50' },
);
