import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/destination/destination.defaults';
import { errors as undiciErrors } from 'undici';
import { AttemptTimeoutError, ConnectionError, InvalidRequestError, InvalidResponseError, coerceError, toAttemptError } from '../../src/dispatch/errors';
import type { HttpExchange } from '../../src/dispatch/http-client';
import { classifyExchange, classifyStatus } from '../../src/dispatch/outcome';
import { settle } from '../../src/dispatch/settle';
import { BlockedAddressError } from '../../src/dispatch/ssrf/blocked-address-error';

const now = new Date('2026-01-01T00:00:00Z');
const policy = { retryOn4xx: false };

function failure(error: HttpExchange & { kind: 'FAILURE' } extends { error: infer E } ? E : never): HttpExchange {
  return { kind: 'FAILURE', error, partial: null, durationMs: 3 };
}

describe('outcome classification', () => {
  it('2xx succeeds', () => {
    for (const s of [200, 201, 202, 204, 299]) assert.equal(classifyStatus(s, null, policy, now).kind, 'SUCCESS');
  });

  it('retries 408, 429 and 5xx, carrying Retry-After', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) assert.equal(classifyStatus(s, null, policy, now).kind, 'RETRY', String(s));
    const o = classifyStatus(503, '3', policy, now);
    assert.equal(o.kind === 'RETRY' && o.retryAfterMs, 3000);
  });

  it('410 is GONE: the destination is disabled', () => {
    assert.equal(classifyStatus(410, null, policy, now).kind, 'GONE');
  });

  it('3xx and other 4xx fail, unless retryOn4xx', () => {
    for (const s of [301, 302, 307, 308, 400, 401, 403, 404, 422]) assert.equal(classifyStatus(s, null, policy, now).kind, 'FAIL', String(s));
    assert.equal(classifyStatus(404, null, { retryOn4xx: true }, now).kind, 'RETRY');
    assert.equal(classifyStatus(301, null, { retryOn4xx: true }, now).kind, 'FAIL');
  });

  it('transport failures: timeout, connection and invalid responses retry; a blocked address fails', () => {
    const cases: [HttpExchange, string, string][] = [
      [failure(new AttemptTimeoutError(100)), 'RETRY', 'TIMEOUT'],
      [failure(new ConnectionError('ECONNRESET')), 'RETRY', 'CONNECTION_ERROR'],
      [failure(new InvalidResponseError('bad status line')), 'RETRY', 'INVALID_RESPONSE'],
      [failure(new BlockedAddressError('127.0.0.1 is loopback')), 'FAIL', 'BLOCKED_ADDRESS'],
      [failure(new InvalidRequestError('invalid x-hookgraph-entity-url header')), 'FAIL', 'INVALID_REQUEST'],
    ];
    for (const [exchange, kind, attemptOutcome] of cases) {
      const o = classifyExchange(exchange, DEFAULT_RETRY_POLICY, now);
      assert.equal(o.kind, kind);
      assert.equal(o.attemptOutcome, attemptOutcome);
    }
  });

  it('sorts thrown undici errors by code and cause', () => {
    assert.ok(toAttemptError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 100, false) instanceof AttemptTimeoutError);
    assert.ok(toAttemptError(new Error('aborted'), 100, true) instanceof AttemptTimeoutError);
    assert.ok(toAttemptError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 100, false) instanceof ConnectionError);
    assert.ok(toAttemptError(new Error('connect failed', { cause: new BlockedAddressError('10.0.0.1') }), 100, false) instanceof BlockedAddressError);
    assert.ok(toAttemptError(Object.assign(new Error('parse'), { code: 'HPE_INVALID_CONSTANT' }), 100, false) instanceof InvalidResponseError);
    // undici refusing the request as built is the request's fault, not the endpoint's.
    assert.ok(toAttemptError(new undiciErrors.InvalidArgumentError('invalid x-a header'), 100, false) instanceof InvalidRequestError);
    assert.equal(coerceError('boom').message, 'boom');
    assert.match(coerceError({ a: 1 }).message, /non-error thrown/);
  });

  it('settles: success, schedule, exhausted, 410 keeps the delivery', () => {
    const ok = settle({ outcome: classifyStatus(200, null, policy, now), policy: DEFAULT_RETRY_POLICY, attemptsInRound: 1, now });
    assert.deepEqual(ok, { status: 'SUCCEEDED', dueAt: null, disableDestination: null, failed: false });
    const retry = settle({ outcome: classifyStatus(500, null, policy, now), policy: DEFAULT_RETRY_POLICY, attemptsInRound: 1, now, random: () => 0.5 });
    assert.equal(retry.status, 'RETRY_SCHEDULED');
    assert.equal(retry.dueAt!.getTime() - now.getTime(), 5000);
    const out = settle({ outcome: classifyStatus(500, null, policy, now), policy: DEFAULT_RETRY_POLICY, attemptsInRound: 8, now });
    assert.equal(out.status, 'FAILED');
    assert.equal(out.failed, true);
    const gone = settle({ outcome: classifyStatus(410, null, policy, now), policy: DEFAULT_RETRY_POLICY, attemptsInRound: 1, now });
    assert.equal(gone.status, 'RETRY_SCHEDULED');
    assert.match(gone.disableDestination!, /410/);
    const fail = settle({ outcome: classifyStatus(404, null, policy, now), policy: DEFAULT_RETRY_POLICY, attemptsInRound: 1, now });
    assert.equal(fail.status, 'FAILED');
  });
});
