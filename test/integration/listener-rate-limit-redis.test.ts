import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RedisLeakyBuckets } from '../../src/domain/listener/redis-leaky-buckets';
import { startTestApp, type TestApp } from '../support/app';
import { postRaw } from '../support/inbound';
import { Redis } from 'ioredis';
import { IN_CI, REDIS_URL, redisReachable } from '../support/redis';

/** A RedisLeakyBuckets whose connection is up, so a test never measures the fallback by accident. */
async function buckets(prefix: string, onFallback: (error: unknown) => void): Promise<RedisLeakyBuckets> {
  const b = new RedisLeakyBuckets({ url: REDIS_URL, prefix, onFallback });
  await b.ready();
  return b;
}

describe('listener rate limit through Redis', async () => {
  const reachable = await redisReachable();
  const skip = reachable || IN_CI ? false : `Redis not reachable at ${REDIS_URL} (set TEST_REDIS_URL)`;

  it('shares one leaky bucket between instances, on Redis’s clock', { skip }, async () => {
    const prefix = `hookgraph-test-${randomBytes(6).toString('hex')}`;
    const fallbacks: unknown[] = [];
    const a = await buckets(prefix, (e) => fallbacks.push(e));
    const b = await buckets(prefix, (e) => fallbacks.push(e));
    try {
      const limit = { capacity: 4, refillPerSecond: 0.5 };
      const decisions = [];
      for (let i = 0; i < 6; i++) decisions.push(await (i % 2 ? b : a).take('lst_shared', limit));
      assert.deepEqual(
        decisions.map((d) => d.allowed),
        [true, true, true, true, false, false],
        'two instances drew from one bucket of 4',
      );
      const refused = decisions[4] as { allowed: false; retryAfterSeconds: number };
      assert.equal(refused.retryAfterSeconds, 2, 'one request at 0.5/s fits again in 2 s');
      assert.equal((await a.take('lst_other', limit)).allowed, true, 'buckets are per listener');
      assert.deepEqual(fallbacks, [], 'Redis decided every time');
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('falls back to an in-process bucket when Redis does not answer', async () => {
    const fallbacks: unknown[] = [];
    const b = new RedisLeakyBuckets({ url: 'redis://127.0.0.1:1', prefix: 'x', onFallback: (e) => fallbacks.push(e) });
    try {
      const limit = { capacity: 2, refillPerSecond: 0.1 };
      const decisions = [await b.take('l', limit), await b.take('l', limit), await b.take('l', limit)];
      assert.deepEqual(
        decisions.map((d) => d.allowed),
        [true, true, false],
        'still limited, per instance',
      );
      assert.equal(fallbacks.length, 3);
    } finally {
      await b.stop();
    }
  });

  describe('through HTTP with REDIS_URL', { skip }, () => {
    let t: TestApp;
    const prefix = `hookgraph-test-${randomBytes(6).toString('hex')}`;
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    before(async () => {
      t = await startTestApp('sqlite', { REDIS_URL, HOOKGRAPH_REDIS_PREFIX: prefix });
    });
    after(async () => {
      await t?.stop();
      redis.disconnect();
    });

    it('answers 429 with Retry-After past the shared bucket', async () => {
      const res = await t.gql(
        `mutation { listenerCreate(input: { name: "redis-burst", eventType: "burst.redis", rateLimit: { capacity: 3, refillPerSecond: 0.2 } }) { listener { id url } } }`,
      );
      const { id, url } = res.data.listenerCreate.listener as { id: string; url: string };
      const statuses = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await postRaw(url, '{}', { 'content-type': 'application/json' });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [204, 204, 204, 429, 429]);
      assert.equal(last!.headers['retry-after'], '5');
      await redis.connect();
      assert.equal(await redis.exists(`${prefix}:listener-bucket:${id}`), 1, 'the bucket lives in Redis');
    });
  });
});
