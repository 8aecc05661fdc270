import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { buildRequest } from '../../src/dispatch/request/build-request';
import { signCustomHmac } from '../../src/dispatch/signing/custom-hmac';
import { signatureBaseString, signStandardWebhook } from '../../src/dispatch/signing/standard-webhooks';
import { swHeaders } from '../support/standard-webhooks';
import { box, destination, header, input, newSecret, VECTOR } from './signing-fixtures';

describe('Standard Webhooks signature', () => {
  it('matches the published Standard Webhooks test vector and the standardwebhooks library', () => {
    const base = signatureBaseString(VECTOR.id, VECTOR.timestamp, VECTOR.body);
    assert.equal(base, 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}');
    assert.equal(signStandardWebhook(VECTOR.secret, base), VECTOR.signature);
    const library = new Webhook(VECTOR.secret).sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body);
    assert.equal(library, VECTOR.signature);
  });

  it('signs what buildRequest sends so that standardwebhooks verifies it unchanged', () => {
    const req = buildRequest(input({ now: new Date() }), box);
    assert.ok(req.body);
    const parsed = new Webhook(VECTOR.secret).verify(req.body, swHeaders(req.headers)) as { id: string };
    assert.equal(parsed.id, 'evt_01JTESTEVENT');
    assert.equal(header(req.headers, 'webhook-id'), 'evt_01JTESTEVENT', 'webhook-id is the event id');
    assert.equal(req.signatureBaseString, signatureBaseString('evt_01JTESTEVENT', header(req.headers, 'webhook-timestamp')!, req.body));
  });

  it('keeps webhook-id across attempts (the event id) and signs each attempt with its own timestamp', () => {
    const first = buildRequest(input({ attempt: 1, now: new Date(1_800_000_000_000) }), box);
    const second = buildRequest(input({ attempt: 2, now: new Date(1_800_000_060_000) }), box);
    assert.equal(header(first.headers, 'webhook-id'), header(second.headers, 'webhook-id'));
    assert.equal(header(first.headers, 'webhook-timestamp'), '1800000000');
    assert.equal(header(second.headers, 'webhook-timestamp'), '1800000060');
    assert.equal(header(second.headers, 'X-Hookgraph-Attempt'), '2');
  });

  it('fails verification when the body is tampered with', () => {
    const req = buildRequest(input({ now: new Date() }), box);
    const tampered = req.body!.replace('Ryan', 'Eve');
    assert.notEqual(tampered, req.body);
    assert.throws(() => new Webhook(VECTOR.secret).verify(tampered, swHeaders(req.headers)), /signature/i);
  });

  it('sends both signatures during a rotation overlap; either secret verifies; only the new one afterwards', () => {
    const next = newSecret();
    const now = new Date();
    const rotated = destination({
      signingSecretSealed: box.seal(next),
      previousSecretSealed: box.seal(VECTOR.secret),
      previousSecretExpiresAt: new Date(now.getTime() + 60_000),
    });
    const req = buildRequest(input({ destination: rotated, now }), box);
    const signatures = header(req.headers, 'webhook-signature')!.split(' ');
    assert.equal(signatures.length, 2);
    assert.ok(signatures.every((s) => s.startsWith('v1,')));
    for (const secret of [next, VECTOR.secret]) new Webhook(secret).verify(req.body!, swHeaders(req.headers));
    assert.throws(() => new Webhook(newSecret()).verify(req.body!, swHeaders(req.headers)));

    const expired = destination({ ...rotated, previousSecretExpiresAt: new Date(now.getTime() - 1) });
    const after = buildRequest(input({ destination: expired, now }), box);
    assert.equal(header(after.headers, 'webhook-signature')!.split(' ').length, 1);
    new Webhook(next).verify(after.body!, swHeaders(after.headers));
    assert.throws(() => new Webhook(VECTOR.secret).verify(after.body!, swHeaders(after.headers)));
  });
});

describe('custom HMAC', () => {
  it("reproduces GitHub's documented X-Hub-Signature-256 example", () => {
    // https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    const sig = signCustomHmac({ algorithm: 'SHA256', encoding: 'HEX', prefix: 'sha256=' }, "It's a Secret to Everybody", 'Hello, World!');
    assert.equal(sig, 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  it('supports SHA1/256/384/512 in HEX and BASE64 over the raw body with the UTF-8 key', () => {
    for (const algorithm of ['SHA1', 'SHA256', 'SHA384', 'SHA512'] as const) {
      for (const encoding of ['HEX', 'BASE64'] as const) {
        const expected = createHmac(algorithm.toLowerCase(), 'clé')
          .update('body ✓')
          .digest(encoding === 'HEX' ? 'hex' : 'base64');
        assert.equal(signCustomHmac({ algorithm, encoding, prefix: '' }, 'clé', 'body ✓'), expected, `${algorithm} ${encoding}`);
      }
    }
  });

  it('adds the header to requests, keyed by its own secret or else by the signing secret string', () => {
    const own = destination({
      customHmac: {
        algorithm: 'SHA256',
        encoding: 'HEX',
        header: 'X-Hub-Signature-256',
        prefix: 'sha256=',
        secretSealed: box.seal('gh-secret'),
        secretHint: null,
      },
    });
    const req = buildRequest(input({ destination: own }), box);
    const expected = `sha256=${createHmac('sha256', 'gh-secret').update(req.body!).digest('hex')}`;
    assert.equal(header(req.headers, 'X-Hub-Signature-256'), expected);

    const fallback = destination({
      customHmac: { algorithm: 'SHA1', encoding: 'BASE64', header: 'X-Signature', prefix: '', secretSealed: null, secretHint: null },
    });
    const req2 = buildRequest(input({ destination: fallback }), box);
    assert.equal(header(req2.headers, 'X-Signature'), createHmac('sha1', VECTOR.secret).update(req2.body!).digest('base64'));
  });
});
