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

/**
 * Measured side against its baseline in alternating short rounds of a closed loop, after
 * a warm-up of each: load from other work on a shared machine weighs on both sides alike
 * instead of on whichever happened to run while it lasted. Mean operations per second.
 */
export async function alternatingRounds(
  rounds: number,
  roundSeconds: number,
  concurrency: number,
  measured: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
): Promise<{ value: number; baseline: number }> {
  await closedLoop(0.3, concurrency, measured);
  await closedLoop(0.3, concurrency, baseline);
  let value = 0;
  let base = 0;
  for (let round = 0; round < rounds; round++) {
    value += (await closedLoop(roundSeconds, concurrency, measured)) / rounds;
    base += (await closedLoop(roundSeconds, concurrency, baseline)) / rounds;
  }
  return { value, baseline: base };
}
