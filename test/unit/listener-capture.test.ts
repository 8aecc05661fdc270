import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListenerEntity } from '../../src/domain/listener/listener.entity';
import { CAPTURED_BODY_BYTES, captureRecord } from '../../src/server/listener/capture-record';

const listener = { verification: { tokenHeader: 'X-My-Pass' } } as unknown as ListenerEntity;

describe('listener capture record', () => {
  it('redacts credential headers, the token header and secrets inside the body', () => {
    const record = captureRecord(listener, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dTpw', 'x-my-pass': 'hunter22', 'x-tenant': 'acme', 'x-signature': 'abc' },
      raw: Buffer.from('{"auth":{"token":"s3cret-token"},"other":"wrong-token","n":1}'),
      hide: ['s3cret-token', 'wrong-token', 'ab', null],
      verified: false,
      status: 401,
      error: 'verification failed: wrong token',
      eventId: null,
    });
    const headers = Object.fromEntries(record.headers.map((h) => [h.name, h.value]));
    assert.deepEqual(headers, {
      'content-type': 'application/json',
      authorization: 'Basic [REDACTED]',
      'x-my-pass': '[REDACTED]',
      'x-tenant': 'acme',
      'x-signature': 'abc',
    });
    assert.equal(record.body, '{"auth":{"token":"[REDACTED]"},"other":"[REDACTED]","n":1}');
    assert.equal(record.contentType, 'application/json');
    assert.equal(record.responseStatusCode, 401);
    assert.equal(record.error, 'verification failed: wrong token');
  });

  it('cuts long bodies and keeps none when none was read', () => {
    const big = captureRecord(listener, {
      method: 'POST',
      headers: {},
      raw: Buffer.alloc(CAPTURED_BODY_BYTES + 10, 'a'),
      hide: [],
      verified: true,
      status: 204,
      error: null,
      eventId: 'evt_x',
    });
    assert.equal(big.body?.length, CAPTURED_BODY_BYTES);
    const none = captureRecord(listener, { method: 'POST', headers: {}, raw: null, hide: [], verified: false, status: 413, error: 'too large', eventId: null });
    assert.equal(none.body, null);
  });
});

describe('listener capture record, secrets as senders spell them', () => {
  it('blanks a token JSON-escaped (slashes and non-ASCII too) and percent-encoded (either hex case)', () => {
    const token = 'a+b/c=é d';
    const bodies = [
      '{"t":"a+b/c=é d"}',
      '{"t":"a+b\\/c=\\u00e9 d"}',
      '{"t":"a+b/c=\\u00e9 d"}',
      't=a%2Bb%2Fc%3D%C3%A9+d',
      't=a%2bb%2fc%3d%c3%a9+d',
      't=a%2Bb%2Fc%3D%C3%A9%20d',
    ];
    for (const body of bodies) {
      const record = captureRecord(listener, {
        method: 'POST',
        headers: {},
        raw: Buffer.from(body),
        hide: [token],
        verified: true,
        status: 204,
        error: null,
        eventId: null,
      });
      assert.match(record.body!, /^(\{"t":"\[REDACTED\]"\}|t=\[REDACTED\])$/, body);
    }
  });
});
