import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook, WebhookVerificationError as LibraryVerificationError } from 'standardwebhooks';
import { verifyCustomHmac, verifyWebhook, WebhookSecretError, WebhookVerificationError, type VerificationFailure } from '@hookgraph/client/receiver';
import { buildRequest } from '../../src/dispatch/request/build-request';
import type { OutboundRequest } from '../../src/dispatch/request/outbound-request';
import { box, destination, input, newSecret, NOW, SECRET, VECTOR } from './signing-fixtures';

const vectorHeaders = {
  'content-type': 'application/json',
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': VECTOR.signature,
};
const atVector = () => new Date(VECTOR.timestamp * 1000);
const atNow = () => NOW;

/** Headers signed by the standardwebhooks library itself for `payload`. */
function librarySigned(secret: string, payload: string, signedAt: Date, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'webhook-id': 'evt_01JLIBRARY',
    'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign('evt_01JLIBRARY', signedAt, payload),
  };
  if (contentType) headers['content-type'] = contentType;
  return headers;
}

/** A request as hookgraph builds it, its headers as a receiver's node:http sees them. */
function received(req: OutboundRequest): { payload: string; headers: Record<string, string> } {
  const headers = Object.fromEntries(req.headers.map((h) => [h.name.toLowerCase(), h.value]));
  const payload = req.method === 'GET' ? new URL(req.url).search.slice(1) : (req.body ?? '');
  return { payload, headers };
}

function failsWith(code: VerificationFailure, run: () => unknown): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, `expected a WebhookVerificationError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('verifyWebhook', () => {
  it('verifies the Standard Webhooks test vector', () => {
    const verified = verifyWebhook(VECTOR.body, vectorHeaders, VECTOR.secret, { now: atVector });
    assert.equal(verified.scheme, 'standard-webhooks');
    assert.equal(verified.format, 'json');
    assert.deepEqual(verified.payload, { test: 2432232314 });
    assert.equal(verified.id, VECTOR.id);
    assert.equal(verified.timestamp.getTime(), VECTOR.timestamp * 1000);
    assert.equal(verified.raw, VECTOR.body);
  });

  it('takes the secret with or without its whsec_ prefix, and the body as a string or bytes', () => {
    const bare = VECTOR.secret.slice('whsec_'.length);
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders, bare, { now: atVector }).id, VECTOR.id);
    assert.equal(verifyWebhook(Buffer.from(VECTOR.body), vectorHeaders, VECTOR.secret, { now: atVector }).id, VECTOR.id);
  });

  it('accepts what the standardwebhooks library signs, with headers in any case or as a fetch Headers', () => {
    const secret = newSecret();
    const body = JSON.stringify({ id: 'evt_01JLIBRARY', data: { email: 'a@b.org' } });
    const headers = librarySigned(secret, body, NOW, 'application/json; charset=utf-8');
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    assert.deepEqual(verifyWebhook(body, upper, secret, { now: atNow }).payload, { id: 'evt_01JLIBRARY', data: { email: 'a@b.org' } });
    assert.equal(verifyWebhook(body, new Headers(headers), secret, { now: atNow }).id, 'evt_01JLIBRARY');
  });

  it('verifies a JSON POST exactly as hookgraph builds it', () => {
    const { payload, headers } = received(buildRequest(input(), box));
    const verified = verifyWebhook(payload, headers, SECRET, { now: atNow });
    assert.equal(verified.format, 'json');
    assert.equal((verified.payload as { meta: { deliveryId: string } }).meta.deliveryId, 'dlv_01JTEST');
  });

  it('verifies a form body as hookgraph builds it and hands on its flattened fields', () => {
    const req = buildRequest(input({ destination: destination({ format: 'FORM_URLENCODED' }) }), box);
    const { payload, headers } = received(req);
    const verified = verifyWebhook(payload, headers, SECRET, { now: atNow });
    assert.equal(verified.format, 'form');
    assert.equal((verified.payload as Record<string, string>).data__email, 'ryan.salisbury@sakilacustomer.org');
    assert.equal((verified.payload as Record<string, string>).meta__deliveryId, 'dlv_01JTEST');
  });

  it('verifies a GET by its raw query string (after any query the URL already had)', () => {
    const req = buildRequest(input({ destination: destination({ method: 'GET', url: 'https://receiver.example/hooks?from=hg' }) }), box);
    const { payload, headers } = received(req);
    assert.ok(payload.startsWith('from=hg&id=evt_01JTESTEVENT'), payload);
    const verified = verifyWebhook(payload, headers, SECRET, { now: atNow });
    assert.equal(verified.format, 'query');
    assert.equal((verified.payload as Record<string, string>).from, 'hg');
    assert.equal((verified.payload as Record<string, string>).data__first_name, 'Ryan');
    failsWith('NO_MATCHING_SIGNATURE', () => verifyWebhook(payload.replace('data__first_name=Ryan', 'data__first_name=Eve'), headers, SECRET, { now: atNow }));
  });

  it('verifies with either secret during a rotation (two signatures in the header)', () => {
    const previous = newSecret();
    const req = buildRequest(
      input({ destination: destination({ previousSecretSealed: box.seal(previous), previousSecretExpiresAt: new Date(NOW.getTime() + 60_000) }) }),
      box,
    );
    const { payload, headers } = received(req);
    assert.equal(headers['webhook-signature']!.split(' ').length, 2);
    assert.equal(verifyWebhook(payload, headers, SECRET, { now: atNow }).format, 'json');
    assert.equal(verifyWebhook(payload, headers, previous, { now: atNow }).format, 'json');
  });

  it('refuses a wrong secret and a tampered body', () => {
    failsWith('NO_MATCHING_SIGNATURE', () => verifyWebhook(VECTOR.body, vectorHeaders, newSecret(), { now: atVector }));
    failsWith('NO_MATCHING_SIGNATURE', () => verifyWebhook('{"test": 2432232315}', vectorHeaders, VECTOR.secret, { now: atVector }));
    const otherVersion = { ...vectorHeaders, 'webhook-signature': VECTOR.signature.replace('v1,', 'v2,') };
    failsWith('NO_MATCHING_SIGNATURE', () => verifyWebhook(VECTOR.body, otherVersion, VECTOR.secret, { now: atVector }));
  });

  it('keeps the libraries’ five minutes of tolerance either way, against the injected now', () => {
    const at = (seconds: number) => () => new Date((VECTOR.timestamp + seconds) * 1000);
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders, VECTOR.secret, { now: at(300) }).id, VECTOR.id);
    assert.equal(verifyWebhook(VECTOR.body, vectorHeaders, VECTOR.secret, { now: at(-300) }).id, VECTOR.id);
    failsWith('TIMESTAMP_TOO_OLD', () => verifyWebhook(VECTOR.body, vectorHeaders, VECTOR.secret, { now: at(301) }));
    failsWith('TIMESTAMP_TOO_NEW', () => verifyWebhook(VECTOR.body, vectorHeaders, VECTOR.secret, { now: at(-301) }));
    failsWith('TIMESTAMP_TOO_OLD', () => verifyWebhook(VECTOR.body, vectorHeaders, VECTOR.secret, { now: at(61), toleranceSeconds: 60 }));
    // Without an injected clock the real one is used: the vector is from 2021.
    failsWith('TIMESTAMP_TOO_OLD', () => verifyWebhook(VECTOR.body, vectorHeaders, VECTOR.secret));
  });

  it('refuses missing headers and a timestamp that is not seconds', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const headers: Record<string, string> = { ...vectorHeaders };
      delete headers[name];
      failsWith('MISSING_HEADERS', () => verifyWebhook(VECTOR.body, headers, VECTOR.secret, { now: atVector }));
    }
    failsWith('INVALID_TIMESTAMP', () => verifyWebhook(VECTOR.body, { ...vectorHeaders, 'webhook-timestamp': 'soon' }, VECTOR.secret, { now: atVector }));
  });

  it('refuses content types hookgraph never sends, and signed JSON that does not parse', () => {
    failsWith('UNSUPPORTED_CONTENT_TYPE', () => verifyWebhook(VECTOR.body, { ...vectorHeaders, 'content-type': 'text/xml' }, VECTOR.secret, { now: atVector }));
    const secret = newSecret();
    failsWith('INVALID_PAYLOAD', () => verifyWebhook('{not json', librarySigned(secret, '{not json', NOW, 'application/json'), secret, { now: atNow }));
  });

  it('throws errors that code written for standardwebhooks catches, and a secret error for an unusable secret', () => {
    try {
      verifyWebhook(VECTOR.body, vectorHeaders, newSecret(), { now: atVector });
      assert.fail('verified with a wrong secret');
    } catch (error) {
      assert.ok(error instanceof LibraryVerificationError);
      assert.ok(error instanceof WebhookVerificationError);
      assert.equal(error.name, 'WebhookVerificationError');
    }
    assert.throws(() => verifyWebhook(VECTOR.body, vectorHeaders, 'whsec_', { now: atVector }), WebhookSecretError);
    assert.throws(() => verifyWebhook(VECTOR.body, vectorHeaders, 'whsec_not base64!', { now: atVector }), WebhookSecretError);
  });
});

describe('verifyCustomHmac', () => {
  const github = { header: 'X-Hub-Signature-256', algorithm: 'SHA256', encoding: 'HEX', prefix: 'sha256=' } as const;

  it('verifies a GitHub-style signature made independently with node:crypto', () => {
    const body = '{"action":"opened"}';
    const signature = `sha256=${createHmac('sha256', 's3cret-value').update(body).digest('hex')}`;
    const verified = verifyCustomHmac(body, { 'content-type': 'application/json', 'x-hub-signature-256': signature }, { ...github, secret: 's3cret-value' });
    assert.equal(verified.scheme, 'custom-hmac');
    assert.deepEqual(verified.payload, { action: 'opened' });
  });

  for (const [algorithm, encoding] of [
    ['SHA1', 'HEX'],
    ['SHA384', 'BASE64'],
    ['SHA512', 'HEX'],
  ] as const) {
    it(`verifies ${algorithm} ${encoding} on a form body as hookgraph signs it`, () => {
      const hmac = { algorithm, encoding, header: 'X-Signature', prefix: '', secretSealed: box.seal('custom-secret'), secretHint: null };
      const { payload, headers } = received(buildRequest(input({ destination: destination({ format: 'FORM_URLENCODED', customHmac: hmac }) }), box));
      const verified = verifyCustomHmac(payload, headers, { secret: 'custom-secret', header: 'X-Signature', algorithm, encoding });
      assert.equal((verified.payload as Record<string, string>).id, 'evt_01JTESTEVENT');
      failsWith('NO_MATCHING_SIGNATURE', () => verifyCustomHmac(payload, headers, { secret: 'wrong', header: 'X-Signature', algorithm, encoding }));
    });
  }

  it('verifies a GET by its raw query string, keyed with the destination secret when no custom secret was given', () => {
    const hmac = { ...github, secretSealed: null, secretHint: null };
    const { payload, headers } = received(buildRequest(input({ destination: destination({ method: 'GET', customHmac: hmac }) }), box));
    const verified = verifyCustomHmac(payload, headers, { ...github, secret: SECRET });
    assert.equal(verified.format, 'query');
    failsWith('NO_MATCHING_SIGNATURE', () => verifyCustomHmac(`${payload}&extra=1`, headers, { ...github, secret: SECRET }));
  });

  it('refuses a missing header, a tampered body and a wrong secret', () => {
    const body = '{"a":1}';
    const signature = `sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`;
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signature };
    failsWith('MISSING_HEADERS', () => verifyCustomHmac(body, { 'content-type': 'application/json' }, { ...github, secret: 'k' }));
    failsWith('NO_MATCHING_SIGNATURE', () => verifyCustomHmac('{"a":2}', headers, { ...github, secret: 'k' }));
    failsWith('NO_MATCHING_SIGNATURE', () => verifyCustomHmac(body, headers, { ...github, secret: 'other' }));
    assert.throws(() => verifyCustomHmac(body, headers, { ...github, secret: '' }), WebhookSecretError);
  });
});
