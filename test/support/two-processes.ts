import { randomBytes } from 'node:crypto';
import { after, before, type TestContext } from 'node:test';
import { startTestApp, type TestApp } from './app';
import { startWorkerFor, type ChildApp } from './child-app';
import type { DatabaseKind } from './databases';
import { IN_CI, REDIS_URL, redisReachable } from './redis';

export interface TwoProcesses {
  /** The in-process app (the one a test changes things through). */
  a: TestApp;
  /** A second hookgraph process on a's database, keys and master key, without a dispatcher. */
  b: ChildApp;
}

/**
 * Two processes sharing one database, and Redis when `viaRedis` (under a prefix of their
 * own): for what one process changes and the other must notice. Started before the
 * suite's tests, stopped after them.
 */
export function useTwoProcesses(kind: DatabaseKind, viaRedis: boolean): (tc: TestContext) => TwoProcesses | null {
  let skip: string | false = false;
  let a: TestApp | undefined;
  let b: ChildApp | undefined;
  before(async () => {
    if (viaRedis && !(await redisReachable())) {
      if (IN_CI) throw new Error(`Redis is required in CI and does not answer at ${REDIS_URL}`);
      skip = `Redis not reachable at ${REDIS_URL} (set TEST_REDIS_URL)`;
      return;
    }
    const redis: Record<string, string> = viaRedis ? { REDIS_URL, HOOKGRAPH_REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}` } : {};
    a = await startTestApp(kind, redis);
    b = await startWorkerFor(a, { ...redis, HOOKGRAPH_WORKER_ENABLED: 'false' });
  });
  after(async () => {
    await b?.kill('SIGTERM');
    await a?.stop();
  });
  /** Both processes, or null with the test skipped (Redis wanted and missing outside CI). */
  return (tc) => {
    if (skip) tc.skip(skip);
    return skip ? null : { a: a!, b: b! };
  };
}
