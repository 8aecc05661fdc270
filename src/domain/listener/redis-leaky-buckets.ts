import { Redis } from 'ioredis';
import type { ListenerRateLimit } from './listener.entity';
import { LeakyBuckets, type ListenerRateLimiter, type RateDecision } from './rate-limiter';

/**
 * The same leaky bucket as LeakyBuckets, kept in Redis so that every instance sharing
 * the Redis shares each listener's bucket. One script does read, drain and add
 * atomically on Redis's own clock (instances' clocks may disagree). Returns 0 when the
 * request fits, else the seconds until it would.
 */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1]) or 0
local at = tonumber(state[2]) or now
local drained = math.max(0, level - (now - at) / 1000 * rate)
local ttl = math.ceil(capacity / rate * 1000) + 1000
local wait = 0
if drained + 1 > capacity then
  wait = math.max(1, math.ceil((drained + 1 - capacity) / rate))
else
  drained = drained + 1
end
redis.call('HSET', KEYS[1], 'level', tostring(drained), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ttl)
return wait
`;

type BucketClient = Redis & { hookgraphListenerBucket(key: string, capacity: number, rate: number): Promise<number> };

export interface RedisLeakyBucketsOptions {
  url: string;
  /** Key prefix, so installations sharing one Redis keep their buckets apart. */
  prefix: string;
  /** Redis failed or was slow: the in-process bucket decided instead. */
  onFallback?: (error: unknown) => void;
  /** How long a decision may wait for Redis before the in-process bucket decides. */
  timeoutMs?: number;
}

export class RedisLeakyBuckets implements ListenerRateLimiter {
  private readonly redis: BucketClient;
  // While Redis is away, each instance still limits on its own rather than not at all.
  private readonly local = new LeakyBuckets();
  private readonly prefix: string;
  private readonly onFallback: (error: unknown) => void;

  constructor({ url, prefix, onFallback = () => undefined, timeoutMs = 250 }: RedisLeakyBucketsOptions) {
    this.redis = new Redis(url, { commandTimeout: timeoutMs, enableOfflineQueue: false, maxRetriesPerRequest: 0 }) as BucketClient;
    this.redis.on('error', () => undefined); // surfaced per decision through onFallback
    this.redis.defineCommand('hookgraphListenerBucket', { numberOfKeys: 1, lua: SCRIPT });
    this.prefix = prefix;
    this.onFallback = onFallback;
  }

  async take(key: string, limit: ListenerRateLimit): Promise<RateDecision> {
    try {
      const wait = await this.redis.hookgraphListenerBucket(`${this.prefix}:listener-bucket:${key}`, limit.capacity, limit.refillPerSecond);
      return wait === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Number(wait) };
    } catch (error) {
      this.onFallback(error);
      return this.local.take(key, limit);
    }
  }

  /** Resolves once the connection is up (until then decisions fall back to the local bucket). */
  ready(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.redis.once('ready', () => resolve()));
  }

  async stop(): Promise<void> {
    await Promise.race([this.redis.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    this.redis.disconnect();
  }
}
