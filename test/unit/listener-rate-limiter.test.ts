import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LeakyBuckets } from '../../src/domain/listener/rate-limiter';

describe('listener leaky bucket', () => {
  it('admits `capacity` at once, then drains at refillPerSecond, with a Retry-After', () => {
    const buckets = new LeakyBuckets();
    const limit = { capacity: 3, refillPerSecond: 2 };
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) assert.deepEqual(buckets.take('l', limit, t0), { allowed: true });
    assert.deepEqual(buckets.take('l', limit, t0), { allowed: false, retryAfterSeconds: 1 });
    assert.deepEqual(buckets.take('l', limit, t0 + 499), { allowed: false, retryAfterSeconds: 1 });
    assert.deepEqual(buckets.take('l', limit, t0 + 500), { allowed: true }, 'one drained after 0.5 s at 2/s');
    assert.equal(buckets.take('other', limit, t0).allowed, true, 'buckets are per key');
  });

  it('uses the defaults: 1,000 at once, 300 per second after', () => {
    const buckets = new LeakyBuckets();
    const limit = { capacity: 1000, refillPerSecond: 300 };
    let admitted = 0;
    for (let i = 0; i < 1100; i++) if (buckets.take('l', limit, 0).allowed) admitted += 1;
    assert.equal(admitted, 1000);
    let later = 0;
    for (let i = 0; i < 400; i++) if (buckets.take('l', limit, 1000).allowed) later += 1;
    assert.equal(later, 300);
  });

  it('computes Retry-After from the overflow and the drain rate', () => {
    const buckets = new LeakyBuckets();
    const limit = { capacity: 1, refillPerSecond: 0.1 };
    assert.equal(buckets.take('l', limit, 0).allowed, true);
    assert.deepEqual(buckets.take('l', limit, 0), { allowed: false, retryAfterSeconds: 10 });
  });
});
