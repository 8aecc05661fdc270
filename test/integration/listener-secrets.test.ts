import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { createKey } from '../support/fixtures';
import { postRaw } from '../support/inbound';
import { useLiveSubscriptions } from '../support/live';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { wireRoute } from './wire-support';

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

const CREATE = `mutation($input: ListenerCreateInput!) {
  listenerCreate(input: $input) { listener { id url verification { secretHint } } secret userErrors { field message code } }
}`;

async function createListener(t: TestApp, input: Record<string, unknown>) {
  const res = await t.gql(CREATE, { input: { name: `ls-${Math.random().toString(36).slice(2)}`, eventType: 'ls.received', ...input } });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.deepEqual(res.data.listenerCreate.userErrors, []);
  return res.data.listenerCreate as { listener: { id: string; url: string; verification: { secretHint: string | null } }; secret: string };
}

const readListener = async (t: TestApp, id: string) =>
  (await t.gql(`query($id: ID!) { node(id: $id) { ... on Listener { url sampleData verification { type secretHint } } } }`, { id })).data.node;

forEachDatabase('listener secrets', (ctx) => {
  const receiver = useReceiver();
  const live = useLiveSubscriptions(ctx);

  it('a TOKEN sent in the body proves the sender and goes no further: not into events, subscriptions, deliveries, sample data or captures', async () => {
    const t = ctx();
    receiver.reset();
    // + / = are spelt differently by JSON (PHP escapes the slash) and by forms (percent-encoded).
    const token = 'tok+en/in=body-42';
    const route = await wireRoute(t, receiver.url, {}, { includeEntity: true, eventTypes: ['ls.token.*'] });
    const { listener } = await createListener(t, { eventType: 'ls.token.received', verification: { type: 'TOKEN', tokenPath: 'token', secret: token } });
    await t.gql(`mutation($id: ID!) { listenerCaptureStart(id: $id, minutes: 5) { userErrors { code } } }`, { id: listener.id });
    const published = await live('VIEWER', `subscription { eventPublished(types: ["ls.token.*"]) { id data } }`);

    assert.equal(
      (await postRaw(listener.url, '{"token":"tok+en\\/in=body-42","order":{"id":7}}', { ...json, 'x-signature-auth': 'sig-auth-value' })).status,
      204,
    );
    assert.equal((await postRaw(listener.url, `token=${encodeURIComponent(token)}&n=2`, form)).status, 204);
    assert.equal((await postRaw(listener.url, '{"token":"wrong+token/value","n":3}', json)).status, 401);

    const streamed = [(await published.next(10_000)).data!.eventPublished, (await published.next(10_000)).data!.eventPublished];
    assert.deepEqual(
      streamed.map((e) => e.data),
      [{ order: { id: 7 } }, { n: '2' }],
      'subscribers get the data without the token',
    );
    const events = await t.gql(`{ events(type: ["ls.token.received"], first: 10) { nodes { data } } }`, {}, await createKey(t, 'VIEWER'));
    assert.deepEqual(
      events.data.events.nodes.map((e: { data: unknown }) => e.data),
      [{ n: '2' }, { order: { id: 7 } }],
    );
    const delivered = await receiver.waitFor(2);
    assert.deepEqual(
      delivered.map((r) => JSON.parse(r.body).data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [{ n: '2' }, { order: { id: 7 } }],
    );
    const attempts = await eventually(async () => {
      const res = await t.gql(
        `query($w: ID) { deliveries(first: 10, filter: { webhookId: $w }) { nodes { status attempts(first: 5) { nodes { requestBody } } } } }`,
        { w: route.webhookId },
      );
      const nodes = res.data.deliveries.nodes as { status: string }[];
      return nodes.length === 2 && nodes.every((d) => d.status === 'SUCCEEDED') ? nodes : null;
    });
    const { sampleData } = await readListener(t, listener.id);
    assert.deepEqual(sampleData, { n: '2' });
    const captured = await t.gql(`query($id: ID!) { listenerRequests(id: $id) { nodes { headers { name value } body responseStatusCode } } }`, {
      id: listener.id,
    });
    const captures = captured.data.listenerRequests.nodes as { headers: { name: string; value: string }[]; body: string; responseStatusCode: number }[];
    assert.deepEqual(
      captures.map((c) => c.responseStatusCode),
      [401, 204, 204],
    );
    assert.equal(
      captures[2]!.headers.find((h) => h.name === 'x-signature-auth')?.value,
      '[REDACTED]',
      'a name that says auth is a credential, signature or not',
    );
    assert.equal(captures[1]!.body, 'token=[REDACTED]&n=2');
    assert.equal(captures[2]!.body, '{"token":"[REDACTED]","order":{"id":7}}');

    const everything = JSON.stringify({ streamed, events: events.data, delivered: delivered.map((r) => r.body), attempts, sampleData, captures });
    for (const spelling of ['body-42', 'sig-auth-value', 'wrong+token']) assert.ok(!everything.includes(spelling), spelling);
  });

  it('keeps URL tokens as hashes: a secret URL is shown once, then only its hint; other URLs stay readable', async () => {
    const t = ctx();
    const secret = await createListener(t, { verification: { type: 'SECRET_URL' } });
    const token = secret.secret;
    assert.equal(secret.listener.url, `${t.url}/in/${token}`, 'shown in full where it is made');
    const hint = `…${token.slice(-4)}`;
    assert.equal(secret.listener.verification.secretHint, hint);
    const open = await createListener(t, { verification: { type: 'HMAC', secret: 'open-url-hmac-secret' } });
    const openToken = open.listener.url.slice(`${t.url}/in/`.length);

    const rows = (await t.app.services.db.dataSource.query(`SELECT * FROM listeners`)) as Record<string, unknown>[];
    assert.ok(!JSON.stringify(rows).includes(token), 'the secret URL is not at rest');
    const row = rows.find((r) => r.id === secret.listener.id)!;
    assert.equal(row.token_hash, createHash('sha256').update(token).digest('hex'));
    assert.equal(row.url_token, hint);

    assert.equal((await readListener(t, secret.listener.id)).url, `${t.url}/in/${hint}`);
    assert.equal((await readListener(t, open.listener.id)).url, open.listener.url, 'a URL that is not the secret stays readable');
    assert.equal((await postRaw(`${t.url}/in/${token}`, '{}', json)).status, 204, 'requests find their listener by the hash');
    assert.equal((await postRaw(`${t.url}/in/${openToken}`, '{}', json)).status, 401, 'the HMAC listener is found, and verifies');

    const moved = await t.gql(
      `mutation($id: ID!) { listenerUpdate(id: $id, input: { verification: { type: HMAC, secret: "now-signed-secret" } }) { listener { url } secret userErrors { code } } }`,
      {
        id: secret.listener.id,
      },
    );
    assert.equal(moved.data.listenerUpdate.listener.url, `${t.url}/in/${hint}`, 'leaving SECRET_URL keeps the URL, and keeps it hidden');
    assert.equal((await postRaw(`${t.url}/in/${token}`, '{}', json)).status, 401, 'the same URL, verified by HMAC now');
  });

  it('puts X-Content-Type-Options: nosniff on every answer of /in/…, accepted or refused', async () => {
    const t = ctx();
    const plain = await createListener(t, {
      rateLimit: { capacity: 2, refillPerSecond: 1 / 3600 },
      response: { statusCode: 200, mediaType: 'text/html', bodyTemplate: '<p>{{data.x}}</p>' },
    });
    const signed = await createListener(t, { verification: { type: 'HMAC', secret: 'nosniff-secret-1' } });
    const answers = {
      ok: await postRaw(plain.listener.url, '{"x":"<script>"}', json),
      badBody: await postRaw(plain.listener.url, '{"x":', json),
      limited: await postRaw(plain.listener.url, '{}', json),
      unknown: await postRaw(`${t.url}/in/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, '{}', json),
      method: await postRaw(signed.listener.url, '', {}, { method: 'GET' }),
      mediaType: await postRaw(signed.listener.url, 'x', { 'content-type': 'text/plain' }),
      tooLarge: await postRaw(signed.listener.url, JSON.stringify({ x: 'y'.repeat(1024 * 1024) }), json),
      unverified: await postRaw(signed.listener.url, '{}', json),
    };
    assert.deepEqual(
      Object.values(answers).map((a) => a.status),
      [200, 400, 429, 404, 405, 415, 413, 401],
    );
    for (const [name, answer] of Object.entries(answers)) assert.equal(answer.headers['x-content-type-options'], 'nosniff', name);
  });

  it('refuses absurd rate limits with userErrors and keeps the limit it had', async () => {
    const t = ctx();
    const cases: [Record<string, unknown>, string][] = [
      [{ refillPerSecond: 1e-300 }, 'refillPerSecond'],
      [{ refillPerSecond: 0.0001 }, 'refillPerSecond'],
      [{ refillPerSecond: 1e7 }, 'refillPerSecond'],
      [{ capacity: 0 }, 'capacity'],
      [{ capacity: 2_000_000 }, 'capacity'],
    ];
    for (const [rateLimit, field] of cases) {
      const res = await t.gql(CREATE, { input: { name: `bad-${field}-${Math.random()}`, eventType: 'x.y', rateLimit } });
      assert.deepEqual(
        res.data.listenerCreate.userErrors.map((e: { field: string[]; code: string }) => [e.field, e.code]),
        [[['rateLimit', field], 'OUT_OF_RANGE']],
        JSON.stringify(rateLimit),
      );
    }
    const { listener } = await createListener(t, { rateLimit: { capacity: 3, refillPerSecond: 1 / 3600 } });
    const update = await t.gql(
      `mutation($id: ID!) { listenerUpdate(id: $id, input: { rateLimit: { refillPerSecond: 1e-300 } }) { userErrors { field message code } } }`,
      { id: listener.id },
    );
    const [error] = update.data.listenerUpdate.userErrors;
    assert.deepEqual([error.field, error.code], [['rateLimit', 'refillPerSecond'], 'OUT_OF_RANGE']);
    assert.match(error.message, /one an hour/);
    const kept = await t.gql(`query($id: ID!) { node(id: $id) { ... on Listener { rateLimit { capacity refillPerSecond } } } }`, { id: listener.id });
    assert.deepEqual(kept.data.node.rateLimit, { capacity: 3, refillPerSecond: 1 / 3600 });
  });
});
