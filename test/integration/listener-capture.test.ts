import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Client } from 'graphql-ws';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { postRaw } from '../support/inbound';
import { forEachDatabase } from '../support/suite';
import { connected, subscribe, wsClient } from '../support/ws-client';

const RECEIVED = `subscription($id: ID!) {
  listenerRequestReceived(listenerId: $id) { id listenerId method contentType headers { name value } body verified error responseStatusCode eventId createdAt }
}`;

const json = { 'content-type': 'application/json' };

async function createListener(t: TestApp, input: Record<string, unknown>) {
  const res = await t.gql(`mutation($input: ListenerCreateInput!) { listenerCreate(input: $input) { listener { id url } secret userErrors { message } } }`, {
    input: { name: `cap-${Math.random().toString(36).slice(2)}`, eventType: 'cap.live', ...input },
  });
  assert.deepEqual(res.data.listenerCreate.userErrors, []);
  return res.data.listenerCreate as { listener: { id: string; url: string }; secret: string };
}

const captureStart = (t: TestApp, id: string) =>
  t.gql(`mutation($id: ID!) { listenerCaptureStart(id: $id, minutes: 5) { listener { captureUntil } userErrors { code } } }`, { id });

forEachDatabase('listener capture, live', (ctx) => {
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await eventually(async () => ctx().app.realtime.hub.stats().subscribers === 0);
  });

  async function client(t: TestApp, role: 'ADMIN' | 'VIEWER' = 'ADMIN'): Promise<Client> {
    const key = (await t.gql(`mutation($role: Role!) { apiKeyCreate(input: { name: "watcher", role: $role }) { key } }`, { role })).data.apiKeyCreate
      .key as string;
    const c = wsClient(t.url, key);
    clients.push(c);
    await connected(c);
    return c;
  }

  it('streams captured requests of one listener over graphql-ws, after they are stored', async () => {
    const t = ctx();
    const watched = await createListener(t, { verification: { type: 'TOKEN', tokenPath: 'auth.token', secret: 'body-token-123' } });
    const other = await createListener(t, {});
    await captureStart(t, watched.listener.id);
    await captureStart(t, other.listener.id);
    const c = await client(t);
    const before = t.app.realtime.hub.stats().subscribers;
    const stream = subscribe(c, RECEIVED, { id: watched.listener.id });
    await eventually(async () => t.app.realtime.hub.stats().subscribers > before);

    assert.equal((await postRaw(other.listener.url, '{"other":true}', json)).status, 204);
    assert.equal((await postRaw(watched.listener.url, '{"auth":{"token":"wrong-token-9"},"n":1}', json)).status, 401);
    assert.equal((await postRaw(watched.listener.url, '{"auth":{"token":"body-token-123"},"n":2}', json)).status, 204);

    const refused = (await stream.next(10_000)).data!.listenerRequestReceived;
    const accepted = (await stream.next(10_000)).data!.listenerRequestReceived;
    assert.equal(refused.listenerId, watched.listener.id, 'the other listener’s request is filtered out');
    assert.equal(refused.responseStatusCode, 401);
    assert.equal(refused.verified, false);
    assert.equal(refused.error, 'verification failed: wrong token', 'the capture says why; the 401 itself does not');
    assert.equal(refused.body, '{"auth":{"token":"[REDACTED]"},"n":1}', 'a presented token never lands in the capture');
    assert.equal(accepted.responseStatusCode, 204);
    assert.equal(accepted.verified, true);
    assert.match(accepted.eventId, /^evt_/);
    assert.equal(accepted.body, '{"auth":{"token":"[REDACTED]"},"n":2}', 'nor does the secret');
    assert.equal(accepted.method, 'POST');

    // Published after commit: what the stream showed is in the database already.
    const stored = await t.gql(`query($id: ID!) { listenerRequests(id: $id, first: 10) { nodes { id } } }`, { id: watched.listener.id });
    assert.deepEqual(
      stored.data.listenerRequests.nodes.map((n: { id: string }) => n.id),
      [accepted.id, refused.id],
    );
    assert.equal(stream.buffered.length, 0);
  });

  it("refuses a VIEWER (captures are the senders' data, ADMIN only) and an id that is not a listener id", async () => {
    const t = ctx();
    const viewer = await client(t, 'VIEWER');
    const refused = subscribe(viewer, RECEIVED, { id: 'lst_01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    assert.equal((await refused.next()).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    await refused.ended;
    const c = await client(t);
    const bad = subscribe(c, RECEIVED, { id: 'dst_01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    const [error] = (await bad.next()).errors ?? [];
    assert.equal(error?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(error.message, /is not a listener id/);
    await bad.ended;
  });
});

forEachDatabase(
  'listener body limit from configuration',
  (ctx) => {
    it('answers 413 above HOOKGRAPH_LISTENER_MAX_BODY_BYTES, with and without Content-Length, and captures the refusal', async () => {
      const t = ctx();
      const { listener } = await createListener(t, { verification: { type: 'HMAC', secret: 'never-checked-1' } });
      await captureStart(t, listener.id);
      const body = JSON.stringify({ x: 'y'.repeat(2000) });
      assert.equal((await postRaw(listener.url, body, json)).status, 413);
      assert.equal((await postRaw(listener.url, body, json, { chunked: true })).status, 413);
      const small = await postRaw(listener.url, '{"x":1}', json);
      assert.equal(small.status, 401, 'a body within the limit reaches verification');
      const res = await t.gql(`query($id: ID!) { listenerRequests(id: $id) { nodes { responseStatusCode body } } }`, { id: listener.id });
      assert.deepEqual(
        res.data.listenerRequests.nodes.map((n: { responseStatusCode: number }) => n.responseStatusCode),
        [401, 413, 413],
      );
      assert.equal(res.data.listenerRequests.nodes[1].body, null, 'nothing of an oversize body is kept');
    });
  },
  { HOOKGRAPH_LISTENER_MAX_BODY_BYTES: '1024' },
);
