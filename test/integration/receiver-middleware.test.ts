import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { Webhook } from 'standardwebhooks';
import { webhookHandler, webhookMiddleware, WebhookSecretError, type VerifiedWebhook, type WebhookRequest } from '@hookgraph/client/receiver';
import { newSecret } from '../unit/signing-fixtures';

const SECRET = newSecret();
/** The receivers' clock: fixed, so that the timestamps below are fresh or stale by construction. */
const NOW = new Date('2026-11-23T01:00:00.000Z');
const now = () => NOW;

function signed(payload: string, signedAt = NOW, secret = SECRET): Record<string, string> {
  return {
    'webhook-id': 'evt_01JMIDDLEWARE',
    'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign('evt_01JMIDDLEWARE', signedAt, payload),
  };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const JSON_BODY = JSON.stringify({ id: 'evt_01JMIDDLEWARE', type: 'order.created', data: { total: 12 } });
const FORM_BODY = 'id=evt_01JMIDDLEWARE&type=order.created&data__total=12';
const QUERY = 'id=evt_01JMIDDLEWARE&type=order.created&data__email=a%40b.org';

describe('webhookHandler on node:http', () => {
  let server: http.Server;
  let url: string;
  const verified: VerifiedWebhook[] = [];
  const errors: unknown[] = [];

  before(async () => {
    const handler = webhookHandler({ secret: SECRET, now, maxBodyBytes: 4096, onError: (e) => errors.push(e) }, (webhook, req, res) => {
      if (req.url === '/boom') throw new Error('the handler failed');
      if (req.url === '/late-boom') {
        res.writeHead(200);
        throw new Error('the handler failed after answering');
      }
      verified.push(webhook);
      res.writeHead(204).end();
    });
    server = http.createServer(handler);
    url = await listen(server);
  });
  after(() => close(server));

  it('passes a verified JSON body on, parsed', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed(JSON_BODY) }, body: JSON_BODY });
    assert.equal(res.status, 204);
    const last = verified.at(-1)!;
    assert.equal(last.scheme, 'standard-webhooks');
    assert.equal(last.format, 'json');
    assert.deepEqual(last.payload, JSON.parse(JSON_BODY));
    assert.equal(last.scheme === 'standard-webhooks' && last.id, 'evt_01JMIDDLEWARE');
  });

  it('verifies a form body and a GET by its raw query string', async () => {
    const form = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signed(FORM_BODY) },
      body: FORM_BODY,
    });
    assert.equal(form.status, 204);
    assert.deepEqual(verified.at(-1)!.payload, { id: 'evt_01JMIDDLEWARE', type: 'order.created', data__total: '12' });
    const get = await fetch(`${url}/hooks?${QUERY}`, { headers: signed(QUERY) });
    assert.equal(get.status, 204);
    assert.equal(verified.at(-1)!.format, 'query');
    assert.equal((verified.at(-1)!.payload as Record<string, string>).data__email, 'a@b.org');
  });

  it('answers 401 with a short reason for a tampered body, a wrong secret, a stale timestamp or missing headers', async () => {
    const before = verified.length;
    const cases: [string, RequestInit, RegExp][] = [
      [
        'tampered',
        { method: 'POST', headers: { 'content-type': 'application/json', ...signed(JSON_BODY) }, body: JSON_BODY.replace('12', '13') },
        /no signature matches/,
      ],
      [
        'wrong secret',
        { method: 'POST', headers: { 'content-type': 'application/json', ...signed(JSON_BODY, NOW, newSecret()) }, body: JSON_BODY },
        /no signature/,
      ],
      [
        'stale',
        { method: 'POST', headers: { 'content-type': 'application/json', ...signed(JSON_BODY, new Date(NOW.getTime() - 301_000)) }, body: JSON_BODY },
        /too old/,
      ],
      ['unsigned', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON_BODY }, /required/],
    ];
    for (const [name, init, reason] of cases) {
      const res = await fetch(url, init);
      assert.equal(res.status, 401, name);
      assert.match(await res.text(), reason, name);
    }
    const query = await fetch(`${url}/hooks?${QUERY.replace('a%40b', 'e%40vil')}`, { headers: signed(QUERY) });
    assert.equal(query.status, 401, 'tampered query');
    assert.equal(verified.length, before, 'nothing refused reached the handler');
  });

  it('refuses an oversized body with 413 and an unknown content type with 415', async () => {
    const big = 'x'.repeat(5000);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed(big) }, body: big });
    assert.equal(res.status, 413);
    const chunked = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed(big) },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413, 'without content-length');
    const xml = '<a/>';
    const typed = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml', ...signed(xml) }, body: xml });
    assert.equal(typed.status, 415);
  });

  it('answers 500 when the handler throws, and reports the error', async () => {
    const res = await fetch(`${url}/boom`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed(JSON_BODY) }, body: JSON_BODY });
    assert.equal(res.status, 500);
    assert.match(String(errors.at(-1)), /the handler failed/);
    const late = await fetch(`${url}/late-boom`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed(JSON_BODY) }, body: JSON_BODY });
    assert.equal(late.status, 200, 'what the handler already sent stands');
    assert.match(String(errors.at(-1)), /after answering/);
  });

  it('refuses an unusable secret when it is set up', () => {
    assert.throws(() => webhookHandler({ secret: 'whsec_' }, () => undefined), WebhookSecretError);
  });
});

describe('webhookMiddleware on Express', () => {
  let server: http.Server;
  let url: string;

  before(async () => {
    const app = express();
    const verify = webhookMiddleware({ secret: SECRET, now });
    const answer = (req: express.Request, res: express.Response) => {
      const { webhook } = req as unknown as WebhookRequest;
      res.json({ format: webhook.format, payload: webhook.payload });
    };
    app.post('/hooks', verify, answer);
    app.get('/hooks', verify, answer);
    // Mounted under a router, a GET's query is still the one sent.
    const router = express.Router();
    router.get('/in', verify, answer);
    app.use('/mounted', router);
    // express.raw() keeps the bytes, so verifying after it works; express.json() does not.
    app.post('/after-raw', express.raw({ type: '*/*' }), verify, answer);
    app.post('/after-json', express.json(), verify, answer);
    app.post(
      '/github',
      webhookMiddleware({ customHmac: { secret: 'gh-secret', header: 'X-Hub-Signature-256', algorithm: 'SHA256', encoding: 'HEX', prefix: 'sha256=' } }),
      answer,
    );
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(error.message);
    });
    server = http.createServer(app);
    url = await listen(server);
  });
  after(() => close(server));

  const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${url}${path}`, { method: 'POST', headers, body });

  it('sets req.webhook for a verified JSON body, form body and GET query', async () => {
    const json = await post('/hooks', JSON_BODY, { 'content-type': 'application/json', ...signed(JSON_BODY) });
    assert.deepEqual(await json.json(), { format: 'json', payload: JSON.parse(JSON_BODY) });
    const form = await post('/hooks', FORM_BODY, { 'content-type': 'application/x-www-form-urlencoded', ...signed(FORM_BODY) });
    assert.deepEqual(((await form.json()) as { payload: unknown }).payload, { id: 'evt_01JMIDDLEWARE', type: 'order.created', data__total: '12' });
    for (const path of ['/hooks', '/mounted/in']) {
      const get = await fetch(`${url}${path}?${QUERY}`, { headers: signed(QUERY) });
      assert.equal(get.status, 200, path);
      assert.equal(((await get.json()) as { format: string }).format, 'query');
    }
  });

  it('answers 401 for a tampered body or query', async () => {
    const res = await post('/hooks', JSON_BODY.replace('12', '99'), { 'content-type': 'application/json', ...signed(JSON_BODY) });
    assert.equal(res.status, 401);
    assert.match(await res.text(), /^webhook refused: no signature matches the payload/);
    const get = await fetch(`${url}/mounted/in?${QUERY}&extra=1`, { headers: signed(QUERY) });
    assert.equal(get.status, 401);
  });

  it('verifies after express.raw(), and says why it cannot after express.json()', async () => {
    const raw = await post('/after-raw', JSON_BODY, { 'content-type': 'application/json', ...signed(JSON_BODY) });
    assert.equal(raw.status, 200);
    const parsed = await post('/after-json', JSON_BODY, { 'content-type': 'application/json', ...signed(JSON_BODY) });
    assert.equal(parsed.status, 500);
    assert.match(await parsed.text(), /already consumed .* before it, or use express\.raw\(\)/);
  });

  it('verifies the custom HMAC form', async () => {
    const body = '{"action":"opened"}';
    const signature = `sha256=${createHmac('sha256', 'gh-secret').update(body).digest('hex')}`;
    const ok = await post('/github', body, { 'content-type': 'application/json', 'x-hub-signature-256': signature });
    assert.deepEqual(await ok.json(), { format: 'json', payload: { action: 'opened' } });
    const bad = await post('/github', '{"action":"closed"}', { 'content-type': 'application/json', 'x-hub-signature-256': signature });
    assert.equal(bad.status, 401);
  });
});
