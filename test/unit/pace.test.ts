import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paceOf, takeTokens } from '../../src/domain/destination/pace';

describe('the token bucket of a destination (pace.ts)', () => {
  const t0 = 1_000_000;
  const tenPerSecondBurstThree = { intervalMs: 100, burst: 3 };

  it('a full bucket lets the burst go at once, then nothing until an interval has passed', () => {
    const first = takeTokens(null, tenPerSecondBurstThree, t0, 10);
    assert.equal(first.granted, 3);
    assert.equal(first.paceAt, t0 + 300);
    assert.equal(first.nextAt, t0 + 100);
    const empty = takeTokens(first.paceAt, tenPerSecondBurstThree, t0 + 99, 10);
    assert.equal(empty.granted, 0);
    assert.equal(empty.paceAt, first.paceAt, 'asking for nothing granted moves nothing');
    assert.equal(empty.nextAt, t0 + 100);
    assert.equal(takeTokens(first.paceAt, tenPerSecondBurstThree, t0 + 100, 10).granted, 1);
    assert.equal(takeTokens(first.paceAt, tenPerSecondBurstThree, t0 + 250, 10).granted, 2);
  });

  it('refills to the burst and no further after a quiet spell', () => {
    const used = takeTokens(null, tenPerSecondBurstThree, t0, 3).paceAt;
    assert.equal(takeTokens(used, tenPerSecondBurstThree, t0 + 60_000, 10).granted, 3);
  });

  it('grants no more than asked for, and bills only what it grants', () => {
    const one = takeTokens(null, tenPerSecondBurstThree, t0, 1);
    assert.equal(one.granted, 1);
    assert.equal(one.paceAt, t0 + 100);
    assert.equal(one.nextAt, t0, 'two more may go now');
    assert.equal(takeTokens(null, tenPerSecondBurstThree, t0, 0).granted, 0);
  });

  it('over any stretch of time, sends at most the burst plus one per interval', () => {
    const pace = { intervalMs: 1000 / 7, burst: 2 };
    let paceAt: number | null = null;
    const sent: number[] = [];
    for (let now = t0; now < t0 + 5000; now += 13) {
      const taken = takeTokens(paceAt, pace, now, 5);
      paceAt = taken.paceAt;
      for (let i = 0; i < taken.granted; i++) sent.push(now);
    }
    for (let i = 0; i < sent.length; i++) {
      for (let j = i; j < sent.length; j++) assert.ok(j - i + 1 <= 2 + Math.floor((sent[j]! - sent[i]!) / pace.intervalMs));
    }
    assert.ok(sent.length >= 35 && sent.length <= 37, `${sent.length} in 5 s at 7/s with a burst of 2`);
  });

  it('reads a destination’s limits: a burst left out is 1; concurrency alone has no pace', () => {
    assert.deepEqual(paceOf({ perSecond: 4, burst: null, maxConcurrency: null }), { intervalMs: 250, burst: 1 });
    assert.deepEqual(paceOf({ perSecond: 0.5, burst: 3, maxConcurrency: 2 }), { intervalMs: 2000, burst: 3 });
    assert.equal(paceOf({ perSecond: null, burst: null, maxConcurrency: 2 }), null);
  });
});
