import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { deferred, eventually } from '../support/deferred';
import { startTestApp } from '../support/app';
import { forEachDatabase } from '../support/suite';
import { connected, rawSocket, subscribe, wsClient, wsUrl } from '../support/ws-client';
import WebSocket from 'ws';

const INIT = (key: string) => ({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
const SUBSCRIBE = (id: string, query: string) => ({ id, type: 'subscribe', payload: { query } });

forEachDatabase('subscriptions: auth, limits and close codes', (ctx) => {
  const sockets: WebSocket[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  const raw = async () => {
    const socket = await rawSocket(ctx().url);
    sockets.push(socket.ws);
    return socket;
  };

  it('closes with 4403 without a key, with an unknown key, or with a malformed header', async () => {
    for (const payload of [undefined, {}, { authorization: 'Bearer nope-not-a-key' }, { authorization: ctx().adminKey }]) {
      const s = await raw();
      s.send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
      const { code, reason } = await s.closed;
      assert.equal(code, 4403, JSON.stringify(payload));
      assert.equal(reason, 'Forbidden');
    }
  });

  it('acknowledges a good key and answers ping with pong', async () => {
    const s = await raw();
    s.send(INIT(ctx().adminKey));
    assert.deepEqual(await s.nextMessage(), { type: 'connection_ack' });
    s.send({ type: 'ping' });
    assert.deepEqual(await s.nextMessage(), { type: 'pong' });
  });

  it('uses the protocol close codes: 4400, 4401, 4406, 4409, 4429', async () => {
    const bad = await raw();
    bad.send('{not json');
    assert.equal((await bad.closed).code, 4400);

    const early = await raw();
    early.send(SUBSCRIBE('1', 'subscription { eventPublished { id } }'));
    assert.equal((await early.closed).code, 4401);

    const twice = await raw();
    twice.send(INIT(ctx().adminKey));
    await twice.nextMessage();
    twice.send(INIT(ctx().adminKey));
    assert.equal((await twice.closed).code, 4429);

    const dup = await raw();
    dup.send(INIT(ctx().adminKey));
    await dup.nextMessage();
    dup.send(SUBSCRIBE('same', 'subscription { eventPublished { id } }'));
    dup.send(SUBSCRIBE('same', 'subscription { eventPublished { id } }'));
    assert.equal((await dup.closed).code, 4409);

    const noProtocol = await rawSocket(ctx().url, null);
    sockets.push(noProtocol.ws);
    assert.equal((await noProtocol.closed).code, 4406);
  });

  it('applies the depth, alias and length limits to subscriptions', async () => {
    const s = await raw();
    s.send(INIT(ctx().adminKey));
    await s.nextMessage();
    // The schema has no cycles deep enough, so unknown fields stand in: the limit is checked on the document.
    const nested = 'abcdefghijk'.split('').reduceRight((inner, name) => `${name} { ${inner} }`, 'id');
    s.send(SUBSCRIBE('deep', `subscription { deliveryUpdated { ${nested} } }`));
    const depthError = await s.nextMessage();
    assert.equal(depthError.type, 'error');
    assert.ok(
      depthError.payload.some((e: { message: string }) => /query depth 13 exceeds the limit of 10/.test(e.message)),
      JSON.stringify(depthError.payload),
    );

    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ');
    s.send(SUBSCRIBE('aliases', `subscription { deliveryUpdated { ${aliases} } }`));
    const aliasError = await s.nextMessage();
    assert.equal(aliasError.type, 'error');
    assert.match(aliasError.payload[0].message, /16 aliases exceed the limit of 15/);

    s.send(SUBSCRIBE('long', `subscription { deliveryUpdated { id ${' '.repeat(20_001)} } }`));
    const longError = await s.nextMessage();
    assert.equal(longError.type, 'error');
    assert.match(longError.payload[0].message, /longer than 20000 characters/);

    s.send(SUBSCRIBE('unknown', `subscription { nothingHere { id } }`));
    const unknown = await s.nextMessage();
    assert.equal(unknown.type, 'error');
    assert.match(unknown.payload[0].message, /Cannot query field "nothingHere"/);

    for (let i = 0; i < 100; i += 1) s.send(SUBSCRIBE(`op${i}`, 'subscription { eventPublished { id } }'));
    await eventually(async () => ctx().app.realtime.hub.stats().subscribers === 100);
    s.send(SUBSCRIBE('one-too-many', 'subscription { eventPublished { id } }'));
    const tooMany = await s.nextMessage();
    assert.deepEqual([tooMany.id, tooMany.type], ['one-too-many', 'error']);
    assert.match(tooMany.payload[0].message, /at most 100 operations per connection/);
  });

  it('refuses subscriptions over HTTP and upgrades only on /graphql', async () => {
    const res = await ctx().gql(`subscription { eventPublished { id } }`);
    assert.ok(res.errors?.length, 'a subscription over HTTP is an error');
    const other = new WebSocket(`${ctx().url.replace(/^http/, 'ws')}/dashboard`, 'graphql-transport-ws');
    sockets.push(other);
    const failed = deferred<string>();
    other.on('unexpected-response', (_req, response) => failed.resolve(String(response.statusCode)));
    other.on('error', (error) => failed.resolve(error.message));
    assert.match(await failed.promise, /404/);
  });

  it('ends the subscriptions of a revoked key with 4403', async () => {
    const t = ctx();
    const created = await t.gql(`mutation { apiKeyCreate(input: { name: "soon gone", role: VIEWER }) { apiKey { id } key } }`);
    const { key, apiKey } = created.data.apiKeyCreate;
    const closed = deferred<number>();
    const c = wsClient(t.url, key, { onClosed: (code) => closed.resolve(code) });
    clients.push(c);
    await connected(c);
    const events = subscribe(c, `subscription { eventPublished { id } }`);
    const keep = wsClient(t.url, t.adminKey);
    clients.push(keep);
    await connected(keep);
    await eventually(async () => t.app.realtime.hub.stats().subscribers >= 1);
    const revoked = await t.gql(`mutation($id: ID!) { apiKeyRevoke(id: $id) { userErrors { code } } }`, { id: apiKey.id });
    assert.deepEqual(revoked.data.apiKeyRevoke.userErrors, []);
    assert.equal(await closed.promise, 4403);
    await events.ended;
    // Another key's connection stays open, and the revoked key cannot come back.
    const still = subscribe(keep, `subscription { eventPublished { id } }`);
    await eventually(async () => t.app.realtime.hub.stats().subscribers === 1);
    still.stop();
    const again = await raw();
    again.send(INIT(key));
    assert.equal((await again.closed).code, 4403);
  });
});

it('stopping the server closes its sockets with 1001 and returns promptly', async () => {
  const t = await startTestApp('sqlite');
  const closed = deferred<number>();
  const c = wsClient(t.url, t.adminKey, { onClosed: (code) => closed.resolve(code) });
  try {
    await connected(c);
    subscribe(c, `subscription { deliveryUpdated { id } }`);
    await eventually(async () => t.app.realtime.hub.stats().subscribers === 1);
    // A second socket that never reads must not hold the stop up.
    const stalled = new WebSocket(wsUrl(t.url), 'graphql-transport-ws');
    await new Promise((resolve) => stalled.once('open', resolve));
    stalled.send(JSON.stringify(INIT(t.adminKey)));
    const started = Date.now();
    await t.stop();
    assert.ok(Date.now() - started < 5000, `stop took ${Date.now() - started} ms`);
    assert.equal(await closed.promise, 1001);
    assert.equal(t.app.realtime.hub.stats().subscribers, 0);
    stalled.terminate();
  } finally {
    await c.dispose();
  }
});

it('closes with 4408 when connection_init does not come within 3 s', async () => {
  const t = await startTestApp('sqlite');
  try {
    const s = await rawSocket(t.url);
    const started = Date.now();
    assert.equal((await s.closed).code, 4408);
    assert.ok(Date.now() - started >= 2500);
  } finally {
    await t.stop();
  }
});
