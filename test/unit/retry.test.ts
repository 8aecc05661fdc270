import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/destination/destination.defaults';
import type { RetryPolicy } from '../../src/domain/destination/destination.entity';
import { exponentialDelayMs } from '../../src/dispatch/retry/exponential-strategy';
import { withJitter } from '../../src/dispatch/retry/jitter';
import { nextRetry } from '../../src/dispatch/retry/next-retry';
import { parseRetryAfter, RETRY_AFTER_MAX_MS, RETRY_AFTER_MIN_MS } from '../../src/dispatch/retry/retry-after';

const mid = () => 0.5; // jitter factor exactly 1

describe('retry policy', () => {
  it('follows the default schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then exhausted after 8 attempts', () => {
    const delays: number[] = [];
    for (let n = 1; n <= 8; n++) {
      const next = nextRetry(DEFAULT_RETRY_POLICY, { attemptsInRound: n, random: mid });
      if (next.kind === 'RETRY') delays.push(next.delayMs / 1000);
      else assert.equal(n, 8);
    }
    assert.deepEqual(delays, [5, 300, 1800, 7200, 18000, 36000, 36000]);
    assert.deepEqual(nextRetry(DEFAULT_RETRY_POLICY, { attemptsInRound: 8 }), { kind: 'EXHAUSTED' });
  });

  it('ends the round when the schedule runs out before maxAttempts', () => {
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, scheduleSeconds: [1], maxAttempts: 10 };
    assert.equal(nextRetry(policy, { attemptsInRound: 1, random: mid }).kind, 'RETRY');
    assert.equal(nextRetry(policy, { attemptsInRound: 2, random: mid }).kind, 'EXHAUSTED');
  });

  it('grows exponentially up to the cap', () => {
    const policy: RetryPolicy = {
      ...DEFAULT_RETRY_POLICY,
      strategy: 'EXPONENTIAL',
      initialIntervalMs: 500,
      multiplier: 3,
      maxIntervalMs: 10_000,
      maxAttempts: 10,
    };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => exponentialDelayMs(policy, n)),
      [500, 1500, 4500, 10_000, 10_000],
    );
    assert.deepEqual(nextRetry(policy, { attemptsInRound: 2, random: mid }), { kind: 'RETRY', delayMs: 1500 });
    assert.deepEqual(nextRetry(policy, { attemptsInRound: 10, random: mid }), { kind: 'EXHAUSTED' });
  });

  it('jitters within ±20 %', () => {
    assert.equal(
      withJitter(1000, () => 0),
      800,
    );
    assert.equal(
      withJitter(1000, () => 0.999999),
      1200,
    );
    for (let i = 0; i < 200; i++) {
      const d = withJitter(5000);
      assert.ok(d >= 4000 && d <= 6000, String(d));
    }
  });

  it('honours Retry-After (seconds or HTTP date) within bounds, replacing the schedule', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('0', now), RETRY_AFTER_MIN_MS);
    assert.equal(parseRetryAfter('999999', now), RETRY_AFTER_MAX_MS);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), RETRY_AFTER_MIN_MS);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(null, now), null);
    assert.deepEqual(nextRetry(DEFAULT_RETRY_POLICY, { attemptsInRound: 3, retryAfterMs: 7000 }), { kind: 'RETRY', delayMs: 7000 });
    assert.deepEqual(nextRetry(DEFAULT_RETRY_POLICY, { attemptsInRound: 8, retryAfterMs: 7000 }), { kind: 'EXHAUSTED' });
  });
});
