import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { swHeaders } from '../support/standard-webhooks';
import { publish, publishBatch } from '../support/publish';
import { terminal, waitDelivery } from './dispatch-support';
import { wireRoute } from './wire-support';

forEachDatabase('wire: what a real receiver gets', (ctx) => {
  const receiver = useReceiver();

  it('JSON POST: Standard Webhooks headers verified by the standardwebhooks library, X-Hookgraph-* headers, the envelope', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(
      app,
      `${receiver.url}/json`,
      { auth: { type: 'BASIC', username: 'ann', password: 'pw' }, headers: [{ name: 'X-Tenant', value: 'acme' }] },
      { includeEntity: true },
    );
    const { eventId, deliveryId } = await publish(app, { type: r.type, data: { email: 'ryan@x.org' } });
    const [got] = await receiver.waitFor(1);
    assert.equal(got!.method, 'POST');
    assert.equal(got!.url, '/json');
    const payload = new Webhook(r.signingSecret).verify(got!.body, swHeaders(got!.headers)) as Record<string, any>;
    assert.equal(got!.headers['webhook-id'], eventId);
    assert.equal(got!.headers['content-type'], 'application/json');
    assert.equal(got!.headers['x-hookgraph-event'], r.type);
    assert.equal(got!.headers['x-hookgraph-webhook-id'], r.webhookId);
    assert.equal(got!.headers['x-hookgraph-delivery-id'], deliveryId);
    assert.equal(got!.headers['x-hookgraph-attempt'], '1');
    assert.match(String(got!.headers['user-agent']), /^hookgraph\/\d/);
    assert.equal(got!.headers.authorization, `Basic ${Buffer.from('ann:pw').toString('base64')}`);
    assert.equal(got!.headers['x-tenant'], 'acme');
    assert.equal(payload.id, eventId);
    assert.equal(payload.type, r.type);
    assert.deepEqual(payload.data, { email: 'ryan@x.org' });
    assert.deepEqual(payload.meta, { deliveryId, attempt: 1, rowNumber: null, syncMode: null, syncOp: null });
    assert.throws(() => new Webhook(r.signingSecret).verify(got!.body.replace('ryan', 'eve'), swHeaders(got!.headers)), 'a tampered body fails');

    const d = await waitDelivery(app, deliveryId, terminal);
    assert.equal(d.status, 'SUCCEEDED');
    const stored = Object.fromEntries(d.attempts.nodes[0]!.requestHeaders.map((h) => [h.name.toLowerCase(), h.value]));
    assert.equal(stored.authorization, 'Basic [REDACTED]', 'the stored attempt hides credentials');
    assert.equal(stored['webhook-signature'], got!.headers['webhook-signature'], 'and keeps the signature');
  });

  it('retries keep webhook-id (the event id); each attempt is signed afresh and verifies', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, receiver.url, { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [0], maxAttempts: 2 } });
    receiver.script({ kind: 'status', status: 500 });
    const { eventId, deliveryId } = await publish(app, { type: r.type });
    const [first, second] = await receiver.waitFor(2);
    assert.equal(first!.headers['webhook-id'], eventId);
    assert.equal(second!.headers['webhook-id'], eventId);
    assert.equal(first!.headers['x-hookgraph-attempt'], '1');
    assert.equal(second!.headers['x-hookgraph-attempt'], '2');
    for (const got of [first!, second!]) new Webhook(r.signingSecret).verify(got.body, swHeaders(got.headers));
    assert.equal((await waitDelivery(app, deliveryId, terminal)).status, 'SUCCEEDED');
  });

  it('rotation: both signatures during the overlap; the old and the new secret each verify', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, receiver.url);
    const rot = await app.gql(`mutation($id: ID!) { destinationRotateSecret(id: $id) { signingSecret userErrors { message } } }`, { id: r.destinationId });
    const next = rot.data.destinationRotateSecret.signingSecret as string;
    assert.ok(next.startsWith('whsec_') && next !== r.signingSecret);
    await publish(app, { type: r.type });
    const [got] = await receiver.waitFor(1);
    const signatures = String(got!.headers['webhook-signature']).split(' ');
    assert.equal(signatures.length, 2);
    new Webhook(next).verify(got!.body, swHeaders(got!.headers));
    new Webhook(r.signingSecret).verify(got!.body, swHeaders(got!.headers));
  });

  it('GitHub-style custom HMAC: X-Hub-Signature-256: sha256=<hex> over the raw body', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, receiver.url, {
      signing: { customHmac: { algorithm: 'SHA256', encoding: 'HEX', header: 'X-Hub-Signature-256', prefix: 'sha256=', secret: "It's a Secret to Everybody" } },
    });
    await publish(app, { type: r.type });
    const [got] = await receiver.waitFor(1);
    const expected = `sha256=${createHmac('sha256', "It's a Secret to Everybody").update(got!.body).digest('hex')}`;
    assert.equal(got!.headers['x-hub-signature-256'], expected);
  });

  it('FORM_URLENCODED: the envelope flattened with __, signed as sent', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, receiver.url, { format: 'FORM_URLENCODED' }, { includeEntity: true });
    const { eventId } = await publish(app, { type: r.type, data: { customer: { email: 'ryan@x.org' }, tags: ['a', 'b'] } });
    const [got] = await receiver.waitFor(1);
    assert.equal(got!.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(got!.body);
    assert.equal(form.get('id'), eventId);
    assert.equal(form.get('data__customer__email'), 'ryan@x.org');
    assert.equal(form.get('data__tags__1'), 'b');
    assert.equal(form.get('meta__attempt'), '1');
    new Webhook(r.signingSecret).verify(got!.body, swHeaders(got!.headers), { jsonParse: false });
  });

  it('GET: no body, batch rows flattened into the query (row number, sync op), the query string signed', async () => {
    const app = ctx();
    receiver.reset();
    const r = await wireRoute(app, `${receiver.url}/cb`, { method: 'GET' }, { includeEntity: true });
    await publishBatch(app, {
      type: r.type,
      syncMode: 'UPSERT',
      rows: [
        { id: 'c1', email: 'a@x.org' },
        { id: 'c2', email: 'ryan.salisbury@sakilacustomer.org' },
      ],
    });
    const got = await receiver.waitFor(2);
    const second = got.find((g) => g.url.includes('meta__rowNumber=2'));
    assert.ok(second, JSON.stringify(got.map((g) => g.url)));
    assert.equal(second.method, 'GET');
    assert.equal(second.body, '');
    assert.equal(second.headers['content-type'], undefined);
    const url = new URL(second.url, receiver.url);
    assert.equal(url.pathname, '/cb');
    assert.equal(url.searchParams.get('meta__syncOp'), 'upsert');
    assert.equal(url.searchParams.get('data__email'), 'ryan.salisbury@sakilacustomer.org');
    assert.equal(url.searchParams.get('entityId'), 'c2');
    assert.match(second.url, /meta__rowNumber=2&meta__syncMode=UPSERT&meta__syncOp=upsert/);
    new Webhook(r.signingSecret).verify(url.search.slice(1), swHeaders(second.headers), { jsonParse: false });
  });
});
