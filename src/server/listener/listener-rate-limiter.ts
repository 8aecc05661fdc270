import type { Config } from '../../config';
import { LeakyBuckets, type ListenerRateLimiter } from '../../domain/listener/rate-limiter';
import { RedisLeakyBuckets } from '../../domain/listener/redis-leaky-buckets';
import type { Logger } from '../../logger';

/** Listeners' buckets: shared through Redis when REDIS_URL is set, in-process otherwise. */
export function listenerRateLimiter(config: Config, log: Logger): ListenerRateLimiter {
  if (!config.redisUrl) return new LeakyBuckets();
  let lastWarning = 0;
  return new RedisLeakyBuckets({
    url: config.redisUrl,
    prefix: config.redisPrefix,
    onFallback: (error) => {
      // At most one line per 10 s while Redis is away.
      if (Date.now() - lastWarning < 10_000) return;
      lastWarning = Date.now();
      log.warn({ err: error }, 'listener rate limit: Redis failed; each instance limits on its own until it answers');
    },
  });
}
