import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { signatureBaseString } from '../../src/dispatch/signing/standard-webhooks';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { swHeaders } from '../support/standard-webhooks';
import { wireRoute } from './wire-support';

const DRY_RUN = `mutation($id: ID!, $type: String!, $data: JSON) { webhookDryRun(id: $id, eventType: $type, data: $data) {
  request { method url headers { name value } body signatureBaseString } wouldDeliver skipReason userErrors { field message code } } }`;

type Headers = { name: string; value: string }[];
const asRecord = (headers: Headers) => Object.fromEntries(headers.map((h) => [h.name.toLowerCase(), h.value]));

forEachDatabase('wire: webhookDryRun renders the exact request without sending', (ctx) => {
  const receiver = useReceiver();

  it('shows headers, body and signature base string; signatures verify; credentials are redacted; nothing is sent or stored', async () => {
    const app = ctx();
    const r = await wireRoute(
      app,
      `${receiver.url}/hooks`,
      {
        auth: { type: 'BEARER', token: 'bearer-secret-value' },
        headers: [{ name: 'X-Tenant', value: 'acme' }],
        signing: { customHmac: { algorithm: 'SHA256', encoding: 'HEX', header: 'X-Hub-Signature-256', prefix: 'sha256=', secret: 'gh-secret' } },
      },
      {
        includeEntity: true,
        fieldMapping: [
          { from: 'first_name', to: 'my_first_name' },
          { from: 'email', to: 'email' },
        ],
      },
    );
    const res = await app.gql(DRY_RUN, { id: r.webhookId, type: r.type, data: { first_name: 'Jason', email: 'j@x.org', customer_id: 7 } });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const p = res.data.webhookDryRun;
    assert.deepEqual(p.userErrors, []);
    assert.equal(p.wouldDeliver, true);
    assert.equal(p.request.method, 'POST');
    assert.equal(p.request.url, `${receiver.url}/hooks`);
    const h = asRecord(p.request.headers);
    assert.equal(h['authorization'], 'Bearer [REDACTED]');
    assert.equal(h['x-tenant'], 'acme');
    assert.equal(h['x-hookgraph-event'], r.type);
    assert.equal(h['x-hookgraph-webhook-id'], r.webhookId);
    assert.equal(h['x-hookgraph-attempt'], '1');
    assert.match(h['user-agent']!, /^hookgraph\//);
    const body = JSON.parse(p.request.body);
    assert.deepEqual(body.data, { my_first_name: 'Jason', email: 'j@x.org' });
    assert.equal(body.id, h['webhook-id']);
    const signed = swHeaders(h);
    assert.equal(p.request.signatureBaseString, signatureBaseString(signed['webhook-id'], signed['webhook-timestamp'], p.request.body));
    new Webhook(r.signingSecret).verify(p.request.body, signed);
    assert.equal(h['x-hub-signature-256'], `sha256=${createHmac('sha256', 'gh-secret').update(p.request.body).digest('hex')}`);
    assert.ok(!JSON.stringify(p).includes('bearer-secret-value'));
    assert.ok(!JSON.stringify(p).includes(r.signingSecret));

    assert.equal(receiver.requests.length, 0, 'a dry run sends nothing');
    const deliveries = await app.gql(`query($w: ID!) { deliveries(first: 10, filter: { webhookId: $w }) { totalCount } }`, { w: r.webhookId });
    assert.equal(deliveries.data.deliveries.totalCount, 0, 'a dry run stores nothing');
  });

  it('flattens GET into the query string and says when the event would not be delivered', async () => {
    const app = ctx();
    const r = await wireRoute(app, `${receiver.url}/get`, { method: 'GET' }, { filter: { amount: { $gt: 10 } } });
    const res = await app.gql(DRY_RUN, { id: r.webhookId, type: 'other.type', data: { amount: 5 } });
    const p = res.data.webhookDryRun;
    assert.deepEqual(p.userErrors, []);
    assert.equal(p.request.method, 'GET');
    assert.equal(p.request.body, null);
    const url = new URL(p.request.url);
    assert.equal(url.searchParams.get('type'), 'other.type');
    assert.equal(url.searchParams.get('meta__attempt'), '1');
    assert.equal(p.wouldDeliver, false);
    assert.match(p.skipReason, /event types/);
    const filtered = (await app.gql(DRY_RUN, { id: r.webhookId, type: r.type, data: { amount: 5 } })).data.webhookDryRun;
    assert.equal(filtered.wouldDeliver, false);
    assert.match(filtered.skipReason, /filter/);
    const query = url.search.slice(1);
    new Webhook(r.signingSecret).verify(query, swHeaders(asRecord(p.request.headers)), { jsonParse: false });
  });

  it('answers unknown webhooks and bad event types with userErrors, and only to ADMIN', async () => {
    const app = ctx();
    const missing = await app.gql(DRY_RUN, { id: 'whk_01JNOTTHERE0000000000000000', type: 'a.b' });
    assert.equal(missing.data.webhookDryRun.userErrors[0].code, 'NOT_FOUND');
    const r = await wireRoute(app, `${receiver.url}/x`);
    const bad = await app.gql(DRY_RUN, { id: r.webhookId, type: '' });
    assert.equal(bad.data.webhookDryRun.userErrors[0].field.join('.'), 'eventType');
    const key = await app.gql(`mutation { apiKeyCreate(input: { name: "viewer", role: VIEWER }) { key } }`);
    const denied = await app.gql(DRY_RUN, { id: r.webhookId, type: r.type }, key.data.apiKeyCreate.key);
    assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});
