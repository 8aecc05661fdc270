import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createDestination, createWebhook, pauseDestination, publish } from '../support/fixtures';
import { eventually } from '../support/deferred';
import { Receiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';

let receiver: Receiver;
before(async () => {
  receiver = await Receiver.start();
});
after(async () => {
  await receiver.stop();
});

forEachDatabase('paused destinations hold their deliveries', (ctx) => {
  it('sends nothing while PAUSED and everything once ACTIVE again', async () => {
    const t = ctx();
    receiver.reset();
    const dest = await createDestination(t, { url: `${receiver.url}/held` });
    await pauseDestination(t, dest.id);
    await createWebhook(t, dest.id, { eventTypes: ['held.thing'] });
    const published = [];
    for (let i = 0; i < 3; i++) published.push(await publish(t, { type: 'held.thing', data: { i } }));
    const ids = published.map((p) => p.deliveries[0].id);

    // give the dispatcher several chances to (wrongly) send
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receiver.requests.length, 0, 'nothing reaches a paused destination');
    const waiting = await t.gql(`query($d: ID) { deliveries(filter: { destinationId: $d }) { nodes { status attemptCount } } }`, { d: dest.id });
    assert.deepEqual(waiting.data.deliveries.nodes.map((n: { status: string }) => n.status), ['PENDING', 'PENDING', 'PENDING']);

    const res = await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { destination { status } userErrors { code } } }`, { id: dest.id });
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
