import { performance } from 'node:perf_hooks';

/** Operations per second with `concurrency` loops running `op` for `seconds`. */
export async function closedLoop(seconds: number, concurrency: number, op: () => Promise<unknown>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await op();
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}
