import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Verification } from '../../src/domain/listener/listener.entity';
import { safeEqual } from '../../src/domain/listener/safe-equal';
import { verifyRequest } from '../../src/domain/listener/verify';

const base: Verification = {
  type: 'NONE',
  username: null,
  algorithm: null,
  encoding: null,
  header: null,
  prefix: null,
  tokenPath: null,
  tokenHeader: null,
  secretSealed: null,
  secretHint: null,
};
const body = Buffer.from('{"id":1,"auth":{"token":"tok-123456"}}');
const req = (headers: Record<string, string>, raw = body) => ({ headers, rawBody: raw, data: () => JSON.parse(raw.toString()) as unknown, now: Date.now() });

describe('listener verification', () => {
  it('compares strings in constant time and false on different lengths', () => {
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual('abc', 'abd'), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
    assert.equal(safeEqual('', ''), true);
  });

  it('HMAC: every algorithm and encoding, over the raw body, with a prefix', () => {
    for (const [algorithm, alg] of [
      ['SHA1', 'sha1'],
      ['SHA256', 'sha256'],
      ['SHA384', 'sha384'],
      ['SHA512', 'sha512'],
    ] as const) {
      for (const [encoding, enc] of [
        ['HEX', 'hex'],
        ['BASE64', 'base64'],
      ] as const) {
        const v: Verification = { ...base, type: 'HMAC', algorithm, encoding, header: 'X-Sig', prefix: 'v1=' };
        const sig = `v1=${createHmac(alg, 'k3y-secret').update(body).digest(enc)}`;
        assert.deepEqual(verifyRequest(v, 'k3y-secret', req({ 'x-sig': sig })), { ok: true }, `${algorithm} ${encoding}`);
        assert.equal(verifyRequest(v, 'other-key', req({ 'x-sig': sig })).ok, false);
        assert.equal(verifyRequest(v, 'k3y-secret', req({ 'x-sig': sig }, Buffer.from(`${body} `))).ok, false, 'tampered body');
        assert.equal(verifyRequest(v, 'k3y-secret', req({ 'x-sig': sig.slice(3) })).ok, false, 'prefix required');
      }
    }
    const v: Verification = { ...base, type: 'HMAC', algorithm: 'SHA256', encoding: 'HEX', header: 'X-Sig', prefix: '' };
    assert.deepEqual(verifyRequest(v, 'k', req({})), { ok: false, reason: 'missing X-Sig header' });
  });

  it('BASIC, TOKEN in a header or at a JSON path, NONE and SECRET_URL', () => {
    const basic: Verification = { ...base, type: 'BASIC', username: 'u' };
    const auth = (s: string) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` });
    assert.equal(verifyRequest(basic, 'pw', req(auth('u:pw'))).ok, true);
    assert.equal(verifyRequest(basic, 'pw', req(auth('u:pw2'))).ok, false);
    assert.equal(verifyRequest(basic, 'pw', req(auth('upw'))).ok, false);
    assert.equal(verifyRequest(basic, 'pw', req({ authorization: 'Bearer x' })).ok, false);

    const header: Verification = { ...base, type: 'TOKEN', tokenHeader: 'X-Token' };
    assert.equal(verifyRequest(header, 'tok-123456', req({ 'x-token': 'tok-123456' })).ok, true);
    assert.equal(verifyRequest(header, 'tok-123456', req({ 'x-token': 'tok-123457' })).ok, false);
    const path: Verification = { ...base, type: 'TOKEN', tokenPath: 'auth.token' };
    assert.equal(verifyRequest(path, 'tok-123456', req({})).ok, true);
    assert.equal(verifyRequest(path, 'tok-other1', req({})).ok, false);
    assert.equal(verifyRequest(path, 'tok-123456', req({}, Buffer.from('not json'))).ok, false, 'unparseable body: no token');

    assert.equal(verifyRequest(base, null, req({})).ok, true);
    assert.equal(verifyRequest({ ...base, type: 'SECRET_URL' }, null, req({})).ok, true);
  });
});
