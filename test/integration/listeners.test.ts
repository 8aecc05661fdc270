import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { postRaw } from '../support/inbound';
import { forEachDatabase } from '../support/suite';

const CREATE = `mutation($input: ListenerCreateInput!) {
  listenerCreate(input: $input) {
    listener { id name url eventType eventTypePath verification { type username algorithm encoding header prefix tokenPath tokenHeader secretHint } rateLimit { capacity refillPerSecond } response { statusCode mediaType bodyTemplate } }
    secret userErrors { field message code }
  }
}`;

async function createListener(t: TestApp, input: Record<string, unknown>) {
  const res = await t.gql(CREATE, { input: { name: `l-${Math.random().toString(36).slice(2)}`, eventType: 'inbound.received', ...input } });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.deepEqual(res.data.listenerCreate.userErrors, []);
  return res.data.listenerCreate as { listener: { id: string; url: string; verification: Record<string, unknown> }; secret: string | null };
}

async function eventsOfType(t: TestApp, type: string) {
  const res = await t.gql(`query($t: [String!]) { events(type: $t, first: 100) { nodes { id type source data } } }`, { t: [type] });
  return res.data.events.nodes as { id: string; type: string; source: string; data: any }[];
}

const json = { 'content-type': 'application/json' };
const hmac = (alg: string, key: string, body: string, enc: 'hex' | 'base64' = 'hex') => createHmac(alg, key).update(body).digest(enc);

forEachDatabase('inbound listeners', (ctx) => {
  it('manages listeners over GraphQL; secrets shown once, ADMIN only', async () => {
    const t = ctx();
    const created = await createListener(t, { name: 'stripe', verification: { type: 'HMAC', header: 'Stripe-Signature', secret: 'whsec-like-secret-1' } });
    assert.equal(created.secret, 'whsec-like-secret-1');
    assert.match(created.listener.url, new RegExp(`^${t.url}/in/[A-Za-z0-9_-]{32}$`));
    assert.deepEqual(created.listener.verification, {
      type: 'HMAC',
      username: null,
      algorithm: 'SHA256',
      encoding: 'HEX',
      header: 'Stripe-Signature',
      prefix: '',
      tokenPath: null,
      tokenHeader: null,
      secretHint: '…et-1',
    });
    const generated = await createListener(t, { verification: { type: 'TOKEN', tokenHeader: 'X-Token' } });
    assert.match(generated.secret ?? '', /^[A-Za-z0-9_-]{32}$/, 'a secret is generated when none is given');

    const list = await t.gql(`{ listeners(first: 50) { totalCount nodes { id url verification { secretHint } } } }`);
    assert.ok(!JSON.stringify(list.data).includes('whsec-like-secret-1'));
    assert.ok(!JSON.stringify(list.data).includes(generated.secret!));
    const stored = await t.app.services.db.dataSource.query('SELECT verification FROM listeners');
    assert.ok(!JSON.stringify(stored).includes('whsec-like-secret-1'), 'encrypted at rest');

    const upd = await t.gql(
      `mutation($id: ID!) { listenerUpdate(id: $id, input: { response: { statusCode: 202 }, rateLimit: { capacity: 10 } }) { listener { response { statusCode } rateLimit { capacity refillPerSecond } } secret userErrors { code } } }`,
      { id: created.listener.id },
    );
    assert.deepEqual(upd.data.listenerUpdate.listener, { response: { statusCode: 202 }, rateLimit: { capacity: 10, refillPerSecond: 300 } });
    assert.equal(upd.data.listenerUpdate.secret, null);

    const key = (await t.gql(`mutation { apiKeyCreate(input: { name: "pub", role: PUBLISHER }) { key } }`)).data.apiKeyCreate.key;
    const forbidden = await t.gql(`{ listeners { totalCount } }`, {}, key);
    assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN');

    const del = await t.gql(`mutation($id: ID!) { listenerDelete(id: $id) { deletedId } }`, { id: created.listener.id });
    assert.equal(del.data.listenerDelete.deletedId, created.listener.id);
    const gone = await postRaw(created.listener.url, '{}', json);
    assert.equal(gone.status, 404);
  });

  it('refuses bad listener input with userErrors', async () => {
    const t = ctx();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: 'a', eventType: null }, 'INVALID', 'eventType'],
      [{ name: 'b', eventType: 'bad type' }, 'INVALID', 'eventType'],
      [{ name: 'c', eventTypePath: '__proto__.x' }, 'INVALID', 'eventTypePath'],
      [{ name: 'd', verification: { type: 'BASIC', username: 'u' } }, 'INVALID', 'verification'],
      [{ name: 'e', verification: { type: 'TOKEN' } }, 'INVALID', 'verification'],
      [{ name: 'f', verification: { type: 'HMAC', header: 'bad header' } }, 'INVALID', 'signing'],
      [{ name: 'g', rateLimit: { capacity: 0 } }, 'OUT_OF_RANGE', 'rateLimit'],
      [{ name: 'h', response: { statusCode: 302 } }, 'OUT_OF_RANGE', 'response'],
      [{ name: 'i', response: { bodyTemplate: 'x' } }, 'INVALID', 'response'],
      [{ name: 'j', response: { statusCode: 200, mediaType: 'not a type' } }, 'INVALID', 'response'],
    ];
    for (const [input, code, field] of cases) {
      const res = await t.gql(CREATE, { input: { eventType: 'x.y', ...input } });
      const [error] = res.data.listenerCreate.userErrors;
      assert.equal(error?.code, code, `${JSON.stringify(input)} → ${JSON.stringify(error)}`);
      assert.equal(error.field[0], field, JSON.stringify(error));
    }
    const capture = await t.gql(`mutation { listenerCaptureStart(id: "lst_01ARZ3NDEKTSV4RRFFQ69G5FAV", minutes: 5) { userErrors { code } } }`);
    assert.deepEqual(capture.data.listenerCaptureStart.userErrors, [{ code: 'NOT_FOUND' }]);
  });

  it('accepts POST and PUT of JSON, XML and forms; refuses other methods and types; unknown tokens 404', async () => {
    const t = ctx();
    const { listener } = await createListener(t, { eventType: 'formats.test' });
    assert.equal((await postRaw(listener.url, '{"a":1}', json)).status, 204);
    assert.equal((await postRaw(listener.url, '{"a":2}', json, { method: 'PUT' })).status, 204);
    assert.equal(
      (await postRaw(listener.url, '<order><id>7</id><total currency="EUR">9.5</total></order>', { 'content-type': 'application/xml' })).status,
      204,
    );
    assert.equal((await postRaw(listener.url, '<ping>yes</ping>', { 'content-type': 'text/xml; charset=utf-8' })).status, 204);
    assert.equal((await postRaw(listener.url, 'name=Ada&tags=a&tags=b&nested__x=1', { 'content-type': 'application/x-www-form-urlencoded' })).status, 204);
    const data = (await eventsOfType(t, 'formats.test')).map((e) => e.data).reverse();
    assert.deepEqual(data[0], { a: 1 });
    assert.deepEqual(data[2], { order: { id: 7, total: { '#text': 9.5, '@currency': 'EUR' } } });
    assert.deepEqual(data[3], { ping: 'yes' });
    assert.deepEqual(data[4], { name: 'Ada', tags: ['a', 'b'], nested__x: '1' });
    assert.ok((await eventsOfType(t, 'formats.test')).every((e) => e.source === 'LISTENER'));

    const plain = await postRaw(listener.url, 'hello', { 'content-type': 'text/plain' });
    assert.equal(plain.status, 415);
    const get = await postRaw(listener.url, '', {}, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST, PUT');
    const unknown = await postRaw(`${t.url}/in/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, '{}', json);
    const garbage = await postRaw(`${t.url}/in/x`, '{}', json);
    assert.equal(unknown.status, 404);
    assert.equal(garbage.status, 404);
    assert.equal(unknown.body, garbage.body, 'a 404 reveals nothing about tokens');
    const badJson = await postRaw(listener.url, '{"a":', json);
    assert.equal(badJson.status, 400);
    assert.equal((await eventsOfType(t, 'formats.test')).length, 5, 'refused requests make no events');
  });

  it('answers 413 for bodies over 1 MiB, with and without Content-Length, before verification', async () => {
    const t = ctx();
    const { listener } = await createListener(t, { eventType: 'big.body', verification: { type: 'HMAC', secret: 'irrelevant-secret' } });
    const big = JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) });
    assert.equal((await postRaw(listener.url, big, json)).status, 413);
    assert.equal((await postRaw(listener.url, big, json, { chunked: true })).status, 413);
    assert.equal((await eventsOfType(t, 'big.body')).length, 0);
  });

  it('verifies BASIC, HMAC (every algorithm and encoding, prefixes), TOKEN and SECRET_URL; failures get 401 and no event', async () => {
    const t = ctx();
    const body = '{"id":"evt_1","amount":10}';
    const post = (url: string, headers: Record<string, string>, b = body) => postRaw(url, b, { ...json, ...headers });

    const basic = await createListener(t, { eventType: 'v.basic', verification: { type: 'BASIC', username: 'celigo', password: 'p4ss-word' } });
    const auth = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    assert.equal((await post(basic.listener.url, auth('celigo', 'p4ss-word'))).status, 204);
    assert.equal((await post(basic.listener.url, auth('celigo', 'wrong'))).status, 401);
    assert.equal((await post(basic.listener.url, auth('other', 'p4ss-word'))).status, 401);
    assert.equal((await post(basic.listener.url, {})).status, 401);

    const variants: [string, string, 'hex' | 'base64', string][] = [
      ['SHA1', 'sha1', 'hex', ''],
      ['SHA256', 'sha256', 'hex', 'sha256='],
      ['SHA384', 'sha384', 'base64', ''],
      ['SHA512', 'sha512', 'base64', 'v1='],
    ];
    for (const [algorithm, alg, enc, prefix] of variants) {
      const l = await createListener(t, {
        eventType: 'v.hmac',
        verification: { type: 'HMAC', algorithm, encoding: enc.toUpperCase(), header: 'X-Sig', prefix, secret: 'the-hmac-secret' },
      });
      assert.equal((await post(l.listener.url, { 'x-sig': prefix + hmac(alg, 'the-hmac-secret', body, enc) })).status, 204, algorithm);
      assert.equal((await post(l.listener.url, { 'x-sig': prefix + hmac(alg, 'other-secret', body, enc) })).status, 401, algorithm);
      assert.equal(
        (await post(l.listener.url, { 'x-sig': prefix + hmac(alg, 'the-hmac-secret', body, enc) }, body + ' ')).status,
        401,
        `${algorithm} tampered`,
      );
      assert.equal((await post(l.listener.url, {})).status, 401);
    }
    assert.equal((await eventsOfType(t, 'v.hmac')).length, 4);

    const header = await createListener(t, { eventType: 'v.token', verification: { type: 'TOKEN', tokenHeader: 'X-Api-Token', secret: 'token-abc-123' } });
    assert.equal((await post(header.listener.url, { 'x-api-token': 'token-abc-123' })).status, 204);
    assert.equal((await post(header.listener.url, { 'x-api-token': 'token-abc-124' })).status, 401);
    const inBody = await createListener(t, { eventType: 'v.token', verification: { type: 'TOKEN', tokenPath: 'auth.token', secret: 'token-in-body' } });
    assert.equal((await post(inBody.listener.url, {}, '{"auth":{"token":"token-in-body"},"x":1}')).status, 204);
    assert.equal((await post(inBody.listener.url, {}, '{"auth":{"token":"nope-nope-nope"}}')).status, 401);
    assert.equal((await post(inBody.listener.url, {}, '{"x":1}')).status, 401);

    const secretUrl = await createListener(t, { eventType: 'v.url', verification: { type: 'SECRET_URL' } });
    assert.ok(secretUrl.secret && secretUrl.listener.url.endsWith(secretUrl.secret), 'the URL is the secret, shown once');
    assert.equal((await post(secretUrl.listener.url, {})).status, 204);
    const listed = await t.gql(`query($id: ID!) { node(id: $id) { ... on Listener { url verification { secretHint } } } }`, { id: secretUrl.listener.id });
    assert.ok(!listed.data.node.url.includes(secretUrl.secret), 'afterwards the URL token is hidden');

    assert.equal((await eventsOfType(t, 'v.basic')).length, 1);
    assert.equal((await eventsOfType(t, 'v.token')).length, 2);
  });

  it('rate limits with a leaky bucket: 429 with Retry-After past the capacity', async () => {
    const t = ctx();
    const { listener } = await createListener(t, { eventType: 'burst.test', rateLimit: { capacity: 5, refillPerSecond: 0.5 } });
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push(await postRaw(listener.url, JSON.stringify({ i }), json));
    assert.deepEqual(
      answers.map((a) => a.status),
      [204, 204, 204, 204, 204, 429, 429, 429, 429],
    );
    assert.ok(Number(answers[5]?.headers['retry-after']) >= 1);
    assert.equal((await eventsOfType(t, 'burst.test')).length, 5);
  });

  it('answers with the configured status, media type and escaped template', async () => {
    const t = ctx();
    const { listener } = await createListener(t, {
      eventType: 'resp.test',
      response: {
        statusCode: 200,
        mediaType: 'application/json',
        bodyTemplate: '{"received":"{{event.id}}","name":"{{data.name}}","listener":"{{listener.name}}"}',
      },
    });
    const res = await postRaw(listener.url, JSON.stringify({ name: 'quote " and \\ back' }), json);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    const parsed = JSON.parse(res.body);
    assert.equal(parsed.name, 'quote " and \\ back');
    assert.match(parsed.received, /^evt_/);
    const xml = await createListener(t, {
      eventType: 'resp.xml',
      response: { statusCode: 200, mediaType: 'application/xml', bodyTemplate: '<ok>{{data.name}}</ok>' },
    });
    const xres = await postRaw(xml.listener.url, JSON.stringify({ name: '<script>&' }), json);
    assert.equal(xres.body, '<ok>&lt;script&gt;&amp;</ok>');
    const plain = await createListener(t, { eventType: 'resp.default' });
    const empty = await postRaw(plain.listener.url, '{}', json);
    assert.equal(empty.status, 204);
    assert.equal(empty.body, '');
  });

  it('reads the event type from the body and routes it to webhooks', async () => {
    const t = ctx();
    const { listener } = await createListener(t, { eventType: 'shop.unknown', eventTypePath: 'topic' });
    const dest = await t.gql(`mutation { destinationCreate(input: { name: "paused-sink", url: "http://127.0.0.1:9/x" }) { destination { id } } }`);
    const destinationId = dest.data.destinationCreate.destination.id;
    await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { userErrors { code } } }`, { id: destinationId });
    const hook = await t.gql(
      `mutation($d: ID!) { webhookCreate(input: { name: "shop-orders", destinationId: $d, eventTypes: ["shop.order.*"] }) { webhook { id } } }`,
      { d: destinationId },
    );
    const webhookId = hook.data.webhookCreate.webhook.id;
    await postRaw(listener.url, JSON.stringify({ topic: 'shop.order.created', id: 1 }), json);
    await postRaw(listener.url, JSON.stringify({ topic: 'not valid!', id: 2 }), json);
    assert.equal((await eventsOfType(t, 'shop.order.created')).length, 1);
    assert.equal((await eventsOfType(t, 'shop.unknown')).length, 1, 'the fixed type is the fallback');
    const deliveries = await t.gql(`query($w: ID) { deliveries(filter: { webhookId: $w }) { nodes { status event { type data } } } }`, { w: webhookId });
    assert.deepEqual(deliveries.data.deliveries.nodes, [
      { status: 'PENDING', event: { type: 'shop.order.created', data: { topic: 'shop.order.created', id: 1 } } },
    ]);
  });

  it('captures requests (redacted) while capture is on, with failures, and keeps the last accepted payload', async () => {
    const t = ctx();
    const { listener } = await createListener(t, { eventType: 'cap.test', verification: { type: 'TOKEN', tokenHeader: 'X-Token', secret: 'capture-token-1' } });
    await postRaw(listener.url, '{"before":true}', { ...json, 'x-token': 'capture-token-1' });
    const start = await t.gql(`mutation($id: ID!) { listenerCaptureStart(id: $id, minutes: 15) { listener { captureUntil } userErrors { code } } }`, {
      id: listener.id,
    });
    const until = Date.parse(start.data.listenerCaptureStart.listener.captureUntil);
    assert.ok(until > Date.now() + 14 * 60_000 && until <= Date.now() + 15 * 60_000);
    await postRaw(listener.url, '{"n":1}', { ...json, 'x-token': 'capture-token-1', authorization: 'Bearer abc' });
    await postRaw(listener.url, '{"n":2}', { ...json, 'x-token': 'wrong-token-xx' });
    await postRaw(listener.url, 'text', { 'content-type': 'text/plain', 'x-token': 'capture-token-1' });
    const res = await t.gql(
      `query($id: ID!) { listenerRequests(id: $id, first: 10) { totalCount nodes { method contentType headers { name value } body verified error responseStatusCode eventId } } }`,
      { id: listener.id },
    );
    const nodes = res.data.listenerRequests.nodes;
    assert.equal(res.data.listenerRequests.totalCount, 3, 'only requests during capture are kept');
    const [unsupported, rejected, accepted] = nodes;
    assert.equal(accepted.verified, true);
    assert.equal(accepted.responseStatusCode, 204);
    assert.match(accepted.eventId, /^evt_/);
    assert.equal(accepted.body, '{"n":1}');
    const headers = Object.fromEntries(accepted.headers.map((h: { name: string; value: string }) => [h.name, h.value]));
    assert.equal(headers['x-token'], '[REDACTED]');
    assert.equal(headers.authorization, 'Bearer [REDACTED]');
    assert.equal(rejected.verified, false);
    assert.equal(rejected.responseStatusCode, 401);
    assert.equal(rejected.eventId, null);
    assert.equal(unsupported.responseStatusCode, 415);
    const sample = await t.gql(`query($id: ID!) { node(id: $id) { ... on Listener { sampleData } } }`, { id: listener.id });
    assert.deepEqual(sample.data.node.sampleData, { n: 1 });
  });

  it('refuses XML entities and DOCTYPEs, drops __proto__ keys, bounds nesting', async () => {
    const t = ctx();
    const { listener } = await createListener(t, { eventType: 'safety.test' });
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    const external = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`;
    assert.equal((await postRaw(listener.url, bomb, { 'content-type': 'application/xml' })).status, 400);
    assert.equal((await postRaw(listener.url, external, { 'content-type': 'application/xml' })).status, 400);
    assert.equal((await postRaw(listener.url, '<a><b></a>', { 'content-type': 'application/xml' })).status, 400);

    assert.equal((await postRaw(listener.url, '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"ok":1}', json)).status, 204);
    const xmlProto = await postRaw(listener.url, '<r><__proto__><polluted>yes</polluted></__proto__><ok>2</ok></r>', { 'content-type': 'application/xml' });
    assert.equal(xmlProto.status, 400, 'the XML parser refuses __proto__ elements outright');
    assert.equal(
      (await postRaw(listener.url, '__proto__[polluted]=yes&__proto__=x&ok=3', { 'content-type': 'application/x-www-form-urlencoded' })).status,
      204,
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
    const data = (await eventsOfType(t, 'safety.test')).map((e) => e.data).reverse();
    assert.deepEqual(data, [{ ok: 1 }, { '__proto__[polluted]': 'yes', ok: '3' }]);

    const deep = '{"a":'.repeat(40) + '1' + '}'.repeat(40);
    assert.equal((await postRaw(listener.url, deep, json)).status, 400);
  });
});
