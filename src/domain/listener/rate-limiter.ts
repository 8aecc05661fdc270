import type { ListenerRateLimit } from './listener.entity';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Decides whether a listener may take one more request now. */
export interface ListenerRateLimiter {
  take(key: string, limit: ListenerRateLimit): RateDecision | Promise<RateDecision>;
  stop(): Promise<void>;
}

/**
 * A leaky bucket per listener: each request adds one; the bucket drains at
 * `refillPerSecond`; a request that would overflow `capacity` is refused with the
 * seconds until it would fit. In-process: each instance enforces its own bucket
 * (RedisLeakyBuckets shares one across instances).
 */
export class LeakyBuckets implements ListenerRateLimiter {
  private readonly buckets = new Map<string, { level: number; at: number }>();

  take(key: string, limit: ListenerRateLimit, now = Date.now()): RateDecision {
    const bucket = this.buckets.get(key) ?? { level: 0, at: now };
    const drained = Math.max(0, bucket.level - ((now - bucket.at) / 1000) * limit.refillPerSecond);
    if (drained + 1 > limit.capacity) {
      this.buckets.set(key, { level: drained, at: now });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((drained + 1 - limit.capacity) / limit.refillPerSecond)) };
    }
    this.buckets.set(key, { level: drained + 1, at: now });
    return { allowed: true };
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  async stop(): Promise<void> {
    this.buckets.clear();
  }
}
