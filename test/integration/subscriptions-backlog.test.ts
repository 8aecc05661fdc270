import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { it } from 'node:test';
import { EventEntity } from '../../src/domain/event/event.entity';
import { newId } from '../../src/domain/common/ids';
import { startTestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { connected, rawSocket, subscribe, wsClient } from '../support/ws-client';

const BACKLOG = 5;

function bigEvent(n: number): EventEntity {
  const now = new Date();
  return Object.assign(new EventEntity(), {
    id: newId('event'),
    type: 'bulk.row',
    entityId: String(n),
    entityUrl: null,
    data: { n, filler: 'x'.repeat(256 * 1024) },
    idempotencyKey: null,
    orderingKey: null,
    source: 'API',
    rowNumber: null,
    syncMode: null,
    occurredAt: now,
    createdAt: now,
  } satisfies Partial<EventEntity>);
}

it('cuts off a subscriber that stops reading once its backlog is full, and keeps serving the others', async () => {
  const t = await startTestApp('sqlite', { HOOKGRAPH_SUBSCRIPTION_BACKLOG: String(BACKLOG) });
  const fast = wsClient(t.url, t.adminKey);
  const slow = await rawSocket(t.url);
  try {
    const { hub } = t.app.realtime;
    await connected(fast);
    const fastStream = subscribe(fast, `subscription { eventPublished { entityId } }`);
    slow.send({ type: 'connection_init', payload: { authorization: `Bearer ${t.adminKey}` } });
    assert.equal((await slow.nextMessage()).type, 'connection_ack');
    slow.send({ id: 'big', type: 'subscribe', payload: { query: 'subscription { eventPublished { entityId data } }' } });
    await eventually(async () => hub.stats().subscribers === 2);

    // The slow client stops reading: first the kernel buffers fill, then its backlog.
    (slow.ws as unknown as { _socket: Socket })._socket.pause();
    let sent = 0;
    while (hub.stats().cutOff === 0) {
      assert.ok(sent < 400, `not cut off after ${sent} events of 256 KiB`);
      sent += 1;
      t.app.services.signals.emit('eventPublished', bigEvent(sent));
      // Pace by the reader that keeps up: it must see every event, in order.
      assert.equal((await fastStream.next()).data!.eventPublished.entityId, String(sent));
    }
    assert.equal(hub.stats().cutOff, 1);
    assert.equal(hub.stats().subscribers, 1, 'the slow subscriber is gone from the hub');

    // The fast one still gets everything after the cut-off.
    t.app.services.signals.emit('eventPublished', bigEvent(sent + 1));
    assert.equal((await fastStream.next()).data!.eventPublished.entityId, String(sent + 1));

    (slow.ws as unknown as { _socket: Socket })._socket.resume();
    const { code } = await slow.closed;
    assert.ok([1013, 1006].includes(code), `closed with ${code}`);
  } finally {
    slow.ws.terminate();
    await fast.dispose();
    await t.stop();
  }
});
