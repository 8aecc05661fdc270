import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { buildRequest } from '../../src/dispatch/request/build-request';
import { redactHeaders } from '../../src/dispatch/request/redact';
import { USER_AGENT } from '../../src/dispatch/request/user-agent';
import { signatureBaseString } from '../../src/dispatch/signing/standard-webhooks';
import { sealHeader } from '../../src/domain/destination/sealed-header';
import { swHeaders } from '../support/standard-webhooks';
import { box, destination, event, header, input, SECRET } from './signing-fixtures';

describe('buildRequest', () => {
  it('puts every header README.md lists for receivers on a JSON POST', () => {
    const req = buildRequest(input({ event: event({ entityUrl: 'https://shop.example/c/42' }), attempt: 2 }), box);
    assert.equal(req.method, 'POST');
    assert.equal(req.url, 'https://receiver.example/hooks');
    const h = (n: string) => header(req.headers, n);
    assert.equal(h('content-type'), 'application/json');
    assert.equal(h('webhook-id'), 'evt_01JTESTEVENT');
    assert.equal(h('webhook-timestamp'), String(Math.floor(new Date('2026-11-23T01:00:00Z').getTime() / 1000)));
    assert.match(h('webhook-signature')!, /^v1,[A-Za-z0-9+/]+=*$/);
    assert.equal(h('X-Hookgraph-Event'), 'customer.updated');
    assert.equal(h('X-Hookgraph-Webhook-Id'), 'whk_01JTEST');
    assert.equal(h('X-Hookgraph-Delivery-Id'), 'dlv_01JTEST');
    assert.equal(h('X-Hookgraph-Entity-Id'), 'cus_42');
    assert.equal(h('X-Hookgraph-Entity-Url'), 'https://shop.example/c/42');
    assert.equal(h('X-Hookgraph-Attempt'), '2');
    assert.equal(h('User-Agent'), USER_AGENT);
    assert.match(USER_AGENT, /^hookgraph\/\d+\.\d+\.\d+/);
    assert.equal(h('Authorization'), undefined);
    assert.equal(JSON.parse(req.body!).meta.attempt, 2);
  });

  it('omits X-Hookgraph-Entity-Url when the event has none', () => {
    assert.equal(header(buildRequest(input(), box).headers, 'X-Hookgraph-Entity-Url'), undefined);
  });

  it('adds basic auth, bearer and custom headers', () => {
    const basic = destination({
      authType: 'BASIC',
      authUsername: 'ann',
      authSecretSealed: box.seal('pa:ss'),
      headers: [sealHeader({ name: 'X-Tenant', value: 'acme' }, box)],
    });
    const req = buildRequest(input({ destination: basic }), box);
    assert.equal(header(req.headers, 'Authorization'), `Basic ${Buffer.from('ann:pa:ss').toString('base64')}`);
    assert.equal(header(req.headers, 'X-Tenant'), 'acme');
    const bearer = destination({ authType: 'BEARER', authSecretSealed: box.seal('tok123') });
    assert.equal(header(buildRequest(input({ destination: bearer }), box).headers, 'Authorization'), 'Bearer tok123');
  });

  it('form-encodes the flattened envelope and signs the form text', () => {
    const form = destination({ format: 'FORM_URLENCODED' });
    const req = buildRequest(input({ destination: form, now: new Date() }), box);
    assert.equal(header(req.headers, 'content-type'), 'application/x-www-form-urlencoded');
    const params = new URLSearchParams(req.body!);
    assert.equal(params.get('data__email'), 'ryan.salisbury@sakilacustomer.org');
    assert.equal(params.get('meta__deliveryId'), 'dlv_01JTEST');
    new Webhook(SECRET).verify(req.body!, swHeaders(req.headers), { jsonParse: false });
  });

  it('sends GET with no body, the envelope in the query (after the URL’s own query), signing the query string', () => {
    const get = destination({ method: 'GET', url: 'http://receiver.example/cb?source=hg' });
    const ev = event({ rowNumber: 347, syncMode: 'UPSERT' });
    const req = buildRequest(input({ destination: get, event: ev, now: new Date() }), box);
    assert.equal(req.body, null);
    assert.equal(header(req.headers, 'content-type'), undefined);
    const url = new URL(req.url);
    assert.equal(url.searchParams.get('source'), 'hg');
    assert.equal(url.searchParams.get('meta__rowNumber'), '347');
    assert.equal(url.searchParams.get('meta__syncOp'), 'upsert');
    assert.equal(url.searchParams.get('data__email'), 'ryan.salisbury@sakilacustomer.org');
    assert.match(req.url, /meta__rowNumber=347&meta__syncMode=UPSERT&meta__syncOp=upsert/);
    const query = url.search.slice(1);
    const signed = swHeaders(req.headers);
    assert.equal(req.signatureBaseString, signatureBaseString(signed['webhook-id'], signed['webhook-timestamp'], query));
    new Webhook(SECRET).verify(query, signed, { jsonParse: false });
    assert.throws(() => new Webhook(SECRET).verify(query.replace('347', '348'), signed, { jsonParse: false }));
  });
});

describe('redactHeaders', () => {
  it('hides every name that says auth, token, secret, password, key, credential, cookie or session (signatures too), keeps other signatures and harmless headers', () => {
    const out = redactHeaders([
      { name: 'Authorization', value: 'Bearer tok123' },
      { name: 'authorization', value: 'Basic YW5uOnBhc3M=' },
      { name: 'X-Api-Key', value: 'k1' },
      { name: 'apikey', value: 'k2' },
      { name: 'X-Auth-Token', value: 't' },
      { name: 'X-Client-Secret', value: 's' },
      { name: 'Cookie', value: 'sid=1' },
      { name: 'X-Signature-Auth', value: 'sa-1' },
      { name: 'X-Keyid', value: 'k3' },
      { name: 'webhook-signature', value: 'v1,abc=' },
      { name: 'X-Hub-Signature-256', value: 'sha256=00' },
      { name: 'X-Tenant', value: 'acme' },
      { name: 'X-Hookgraph-Webhook-Id', value: 'whk_1' },
    ]);
    assert.deepEqual(
      out.map((h) => h.value),
      [
        'Bearer [REDACTED]',
        'Basic [REDACTED]',
        '[REDACTED]',
        '[REDACTED]',
        '[REDACTED]',
        '[REDACTED]',
        '[REDACTED]',
        '[REDACTED]',
        '[REDACTED]',
        'v1,abc=',
        'sha256=00',
        'acme',
        'whk_1',
      ],
    );
  });
});
