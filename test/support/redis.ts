import { Redis } from 'ioredis';

/** The Redis the cross-process suites use. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** In CI a missing Redis fails the suites that need it; elsewhere they skip with a message. */
export const IN_CI = Boolean(process.env.CI || process.env.TEST_MYSQL_REQUIRED);

export async function redisReachable(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
