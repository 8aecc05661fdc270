import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { it } from 'node:test';
import Stripe from 'stripe';
import type { TestApp } from '../support/app';
import { postRaw } from '../support/inbound';
import { forEachDatabase } from '../support/suite';

const LISTENER_FIELDS = `id url description eventType eventTypeHeader resourcePath dedupe { header path } sampleData verification { type provider secretHint }`;
const CREATE = `mutation($input: ListenerCreateInput!) { listenerCreate(input: $input) { listener { ${LISTENER_FIELDS} } secret userErrors { field message code } } }`;
const MOCK = `mutation($id: ID!, $request: ListenerMockRequestInput!) {
  listenerMockRun(id: $id, request: $request) { status verified message dedupeKey events { type data } userErrors { field message code } }
}`;

let counter = 0;
async function createListener(t: TestApp, input: Record<string, unknown>, key?: string) {
  counter += 1;
  const res = await t.gql(CREATE, { input: { name: `options-${counter}`, ...input } }, key);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.deepEqual(res.data.listenerCreate.userErrors, []);
  return res.data.listenerCreate as { listener: { id: string; url: string } & Record<string, unknown>; secret: string };
}

async function createError(t: TestApp, input: Record<string, unknown>) {
  counter += 1;
  const res = await t.gql(CREATE, { input: { name: `options-${counter}`, ...input } });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data.listenerCreate.userErrors as { field: string[]; message: string; code: string }[];
}

async function eventsOfType(t: TestApp, type: string) {
  const res = await t.gql(`query($t: [String!]) { events(type: $t, first: 100) { totalCount nodes { id type data } } }`, { t: [type] });
  return res.data.events as { totalCount: number; nodes: { id: string; type: string; data: any }[] };
}

const json = { 'content-type': 'application/json' };
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

forEachDatabase('inbound listeners: presets, dedupe, resource path, mock run', (ctx) => {
  it('GITHUB preset: verifies X-Hub-Signature-256, types by X-GitHub-Event, a redelivery (same X-GitHub-Delivery) makes no new event', async () => {
    const t = ctx();
    const secret = `gh-secret-${unique()}`;
    const { listener } = await createListener(t, {
      description: 'GitHub pushes of the main repository',
      preset: { provider: 'GITHUB', secret },
      response: { statusCode: 200, mediaType: 'application/json', bodyTemplate: '{"event":"{{event.id}}"}' },
    });
    assert.equal(listener.description, 'GitHub pushes of the main repository');
    assert.deepEqual(listener.verification, {
      type: 'PRESET',
      provider: 'GITHUB',
      secretHint: listener.verification && (listener.verification as any).secretHint,
    });
    const type = `gh_${unique()}`;
    const body = JSON.stringify({ ref: 'refs/heads/main', commits: [] });
    const { sign } = await import('@octokit/webhooks-methods');
    const headers = { ...json, 'X-Hub-Signature-256': await sign(secret, body), 'X-GitHub-Event': type, 'X-GitHub-Delivery': `delivery-${unique()}` };
    const first = await postRaw(listener.url, body, headers);
    assert.equal(first.status, 200, first.body);
    const again = await postRaw(listener.url, body, headers);
    assert.equal(again.status, 200);
    assert.equal(again.body, first.body, 'the repeat is answered as the first was');
    const events = await eventsOfType(t, type);
    assert.equal(events.totalCount, 1, 'one event for two copies');
    assert.equal(JSON.parse(first.body).event, events.nodes[0]!.id);
    assert.deepEqual(events.nodes[0]!.data, { ref: 'refs/heads/main', commits: [] });

    const other = await postRaw(listener.url, body, { ...headers, 'X-GitHub-Delivery': `delivery-${unique()}` });
    assert.equal(other.status, 200);
    assert.equal((await eventsOfType(t, type)).totalCount, 2, 'another delivery id is a new event');
    const forged = await postRaw(listener.url, body, { ...headers, 'X-Hub-Signature-256': await sign('wrong', body) });
    assert.equal(forged.status, 401);
  });

  it('STRIPE preset: a header from stripe.webhooks.generateTestHeaderString is accepted, typed from the body, deduped on its id', async () => {
    const t = ctx();
    const secret = `whsec_${unique()}`;
    const { listener } = await createListener(t, { preset: { provider: 'STRIPE', secret } });
    const type = `invoice.paid_${unique()}`;
    const body = JSON.stringify({ id: `evt_${unique()}`, type, data: { object: { amount: 100 } } });
    const header = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: body, secret });
    assert.equal((await postRaw(listener.url, body, { ...json, 'Stripe-Signature': header })).status, 204);
    assert.equal((await postRaw(listener.url, body, { ...json, 'Stripe-Signature': header })).status, 204);
    assert.equal((await eventsOfType(t, type)).totalCount, 1);
    const stale = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) - 600 });
    assert.equal((await postRaw(listener.url, body, { ...json, 'Stripe-Signature': stale })).status, 401, 'outside the 5-minute tolerance');
  });

  it('SLACK and SHOPIFY presets by their documented algorithms', async () => {
    const t = ctx();
    const slack = await createListener(t, { preset: { provider: 'SLACK', secret: 'slack-signing-secret' } });
    const slackType = `mention_${unique()}`;
    const slackBody = JSON.stringify({ type: 'event_callback', event_id: `Ev${unique()}`, event: { type: slackType } });
    const ts = String(Math.floor(Date.now() / 1000));
    const slackHeaders = {
      ...json,
      'X-Slack-Request-Timestamp': ts,
      'X-Slack-Signature': `v0=${createHmac('sha256', 'slack-signing-secret').update(`v0:${ts}:${slackBody}`).digest('hex')}`,
    };
    assert.equal((await postRaw(slack.listener.url, slackBody, slackHeaders)).status, 204);
    assert.equal((await eventsOfType(t, slackType)).totalCount, 1);

    const shopify = await createListener(t, { preset: { provider: 'SHOPIFY', secret: 'shopify-app-secret' } });
    const topic = `orders${unique()}`;
    const shopBody = JSON.stringify({ id: 1, email: 'jon@example.com' });
    const shopHeaders = {
      ...json,
      'X-Shopify-Topic': `${topic}/create`,
      'X-Shopify-Webhook-Id': `wh-${unique()}`,
      'X-Shopify-Hmac-Sha256': createHmac('sha256', 'shopify-app-secret').update(shopBody).digest('base64'),
    };
    assert.equal((await postRaw(shopify.listener.url, shopBody, shopHeaders)).status, 204);
    assert.equal((await postRaw(shopify.listener.url, shopBody, shopHeaders)).status, 204);
    assert.equal((await eventsOfType(t, `${topic}.create`)).totalCount, 1, 'orders/create becomes orders.create, once');
  });

  it('generic listener: type from a header, dedupe on a body path, a resource path splits records into events', async () => {
    const t = ctx();
    const { listener } = await createListener(t, {
      eventType: 'fallback.type',
      eventTypeHeader: 'X-Event-Type',
      dedupe: { path: 'batchId' },
      resourcePath: 'records',
    });
    assert.deepEqual(listener.dedupe, { header: null, path: 'batchId' });
    assert.equal(listener.resourcePath, 'records');
    const type = `contact.updated${unique()}`;
    const body = JSON.stringify({ batchId: `b-${unique()}`, records: [{ id: 1 }, { id: 2 }, { id: 3 }] });
    assert.equal((await postRaw(listener.url, body, { ...json, 'X-Event-Type': type })).status, 204);
    assert.equal((await postRaw(listener.url, body, { ...json, 'X-Event-Type': type })).status, 204, 'a repeat is answered the same');
    const events = await eventsOfType(t, type);
    assert.equal(events.totalCount, 3, 'one event per record, none for the repeat');
    assert.deepEqual(events.nodes.map((e) => e.data.id).sort(), [1, 2, 3]);
    const empty = await postRaw(listener.url, JSON.stringify({ batchId: `b-${unique()}`, records: [] }), json);
    assert.equal(empty.status, 400);
    assert.match(empty.body, /no records at records/);
    const noHeader = await postRaw(listener.url, JSON.stringify({ records: [{ id: 9 }] }), json);
    assert.equal(noHeader.status, 204, 'no dedupe key: handled as new; no header: the fallback type');
    assert.equal((await eventsOfType(t, 'fallback.type')).totalCount, 1);
  });

  it('mock run: shows the events a request would make and why one is refused, storing nothing', async () => {
    const t = ctx();
    const secret = `gh-secret-${unique()}`;
    const { listener } = await createListener(t, { preset: { provider: 'GITHUB', secret }, resourcePath: 'items' });
    const type = `mock_${unique()}`;
    const body = JSON.stringify({ items: [{ n: 1 }, { n: 2 }] });
    const { sign } = await import('@octokit/webhooks-methods');
    const headers = [
      { name: 'X-Hub-Signature-256', value: await sign(secret, body) },
      { name: 'X-GitHub-Event', value: type },
      { name: 'X-GitHub-Delivery', value: 'd-mock' },
    ];
    const run = await t.gql(MOCK, { id: listener.id, request: { headers, body } });
    assert.equal(run.errors, undefined, JSON.stringify(run.errors));
    assert.deepEqual(run.data.listenerMockRun, {
      status: 204,
      verified: true,
      message: null,
      dedupeKey: 'd-mock',
      events: [
        { type, data: { n: 1 } },
        { type, data: { n: 2 } },
      ],
      userErrors: [],
    });
    assert.equal((await eventsOfType(t, type)).totalCount, 0, 'nothing was published');
    const refused = await t.gql(MOCK, { id: listener.id, request: { headers: headers.slice(1), body } });
    assert.deepEqual(
      { ...refused.data.listenerMockRun, events: refused.data.listenerMockRun.events.length },
      { status: 401, verified: false, message: 'verification failed: missing X-Hub-Signature-256 header', dedupeKey: null, events: 0, userErrors: [] },
    );
    const badType = await t.gql(MOCK, { id: listener.id, request: { body, contentType: 'text/plain' } });
    assert.equal(badType.data.listenerMockRun.userErrors[0].code, 'INVALID');
    // The dedupe key of the mock run was not stored: the real request with it makes its events.
    const real = await postRaw(listener.url, body, { ...json, ...Object.fromEntries(headers.map((h) => [h.name, h.value])) });
    assert.equal(real.status, 204);
    assert.equal((await eventsOfType(t, type)).totalCount, 2);
  });

  it('sample data typed by hand; description and options change by listenerUpdate; bad input is a userError', async () => {
    const t = ctx();
    const { listener } = await createListener(t, { eventType: 'sample.typed', sampleData: { order: { id: 1, total: 9.5 } } });
    assert.deepEqual(listener.sampleData, { order: { id: 1, total: 9.5 } });
    const upd = await t.gql(
      `mutation($id: ID!, $input: ListenerUpdateInput!) { listenerUpdate(id: $id, input: $input) { listener { ${LISTENER_FIELDS} } userErrors { field code } } }`,
      {
        id: listener.id,
        input: { description: 'orders from the shop', sampleData: { order: { id: 2 } }, dedupe: { header: 'X-Request-Id' }, resourcePath: 'list' },
      },
    );
    assert.deepEqual(upd.data.listenerUpdate.userErrors, []);
    const got = upd.data.listenerUpdate.listener;
    assert.equal(got.description, 'orders from the shop');
    assert.deepEqual(got.sampleData, { order: { id: 2 } });
    assert.deepEqual(got.dedupe, { header: 'X-Request-Id', path: null });
    assert.equal(got.resourcePath, 'list');

    assert.equal(
      (await createError(t, { eventType: 'x.y', preset: { provider: 'GITHUB', secret: 's' }, verification: { type: 'NONE' } }))[0]!.field.join('.'),
      'preset',
    );
    assert.equal((await createError(t, { eventType: 'x.y', dedupe: { header: 'A', path: 'b' } }))[0]!.field.join('.'), 'dedupe');
    assert.equal((await createError(t, { eventType: 'x.y', resourcePath: 'a..b' }))[0]!.field.join('.'), 'resourcePath');
    assert.equal((await createError(t, { eventTypeHeader: 'bad header' }))[0]!.field.join('.'), 'eventTypeHeader');
    assert.equal((await createError(t, { eventType: 'x.y', verification: { type: 'PRESET' } }))[0]!.field.join('.'), 'verification.type');
    assert.equal((await createError(t, { eventType: 'x.y', description: 'x'.repeat(1001) }))[0]!.code, 'TOO_LARGE');
    assert.equal((await createError(t, { eventType: 'x.y', sampleData: { big: 'x'.repeat(70_000) } }))[0]!.code, 'TOO_LARGE');
    assert.equal((await createError(t, {}))[0]!.field.join('.'), 'eventType', 'a listener needs somewhere to get its type');
  });

  it("a tenant's key cannot mock-run another tenant's listener", async () => {
    const t = ctx();
    const { listener } = await createListener(t, { eventType: 'private.thing' });
    const uid = `mock-tenant-${unique()}`;
    await t.gql(`mutation($uid: String!) { tenantCreate(input: { uid: $uid, name: "B" }) { tenant { id } } }`, { uid });
    const key = (await t.gql(`mutation($uid: String!) { apiKeyCreate(input: { name: "b", role: ADMIN, tenant: $uid }) { key } }`, { uid })).data.apiKeyCreate
      .key;
    const run = await t.gql(MOCK, { id: listener.id, request: { body: '{}' } }, key);
    assert.equal(run.data.listenerMockRun.userErrors[0].code, 'NOT_FOUND');
    assert.equal(run.data.listenerMockRun.events, null);
  });
});
