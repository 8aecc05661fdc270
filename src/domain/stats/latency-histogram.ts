/**
 * Attempt latencies kept as counts per bucket, so that statistics are sums of rows and
 * never a scan of the attempts: bucket 0 holds latencies under 1 ms, bucket i (1…16)
 * those from 2^(i-1) up to 2^i ms, the last one everything from 65,536 ms on. Each
 * bucket spans a factor of two, which is the resolution of the percentiles estimated
 * from it.
 */
export const LATENCY_BUCKET_FLOORS_MS: readonly number[] = [0, ...Array.from({ length: 17 }, (_, i) => 2 ** i)];

/** The bucket a latency falls in. */
export function latencyBucket(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  return Math.min(Math.floor(Math.log2(durationMs)) + 1, LATENCY_BUCKET_FLOORS_MS.length - 1);
}

/** An empty histogram: one count per bucket. */
export function emptyHistogram(): number[] {
  return LATENCY_BUCKET_FLOORS_MS.map(() => 0);
}

/**
 * The latency below which a fraction `q` (0.5: the median) of the counted attempts fall,
 * estimated by placing the rank linearly inside its bucket; null without attempts. The
 * open last bucket answers with its floor.
 */
export function percentileMs(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (const [i, count] of counts.entries()) {
    if (count > 0 && below + count >= rank) {
      const floor = LATENCY_BUCKET_FLOORS_MS[i]!;
      const ceiling = LATENCY_BUCKET_FLOORS_MS[i + 1];
      if (ceiling === undefined) return floor;
      return Math.round(floor + ((rank - below) / count) * (ceiling - floor));
    }
    below += count;
  }
  return LATENCY_BUCKET_FLOORS_MS[LATENCY_BUCKET_FLOORS_MS.length - 1]!;
}
