import { HOUR, MINUTE } from '../common/time';
import { emptyHistogram, latencyBucket } from './latency-histogram';

/**
 * The sizes statistics are kept in: minutes, read for windows up to two hours and the
 * edges of longer ones, and hours, read for the whole hours of longer windows (a day
 * is 24 rows per destination, not 1,440).
 */
export const STATS_SPANS_MS = [MINUTE, HOUR] as const;
export type StatsSpanMs = (typeof STATS_SPANS_MS)[number];

/** One attempt as the statistics count it. */
export interface CountedAttempt {
  destinationId: string;
  tenantId: string;
  /** When it was made. */
  at: Date;
  succeeded: boolean;
  durationMs: number;
}

/** What one destination's attempts of one span (a minute, an hour) add to its statistics. */
export interface StatsRollup {
  destinationId: string;
  tenantId: string;
  /** Epoch ms of the span's start. */
  start: number;
  attempts: number;
  successes: number;
  failures: number;
  /** Counts per latency bucket (latency-histogram.ts). */
  latency: number[];
}

/**
 * A batch's attempts summed per destination and span, in key order: each becomes one
 * row added to the stored one, and writers that meet on a row take it in the same order.
 */
export function rollUp(attempts: readonly CountedAttempt[], spanMs: StatsSpanMs): StatsRollup[] {
  const rows = new Map<string, StatsRollup>();
  for (const a of attempts) {
    const start = a.at.getTime() - (a.at.getTime() % spanMs);
    const key = `${a.destinationId} ${start}`;
    let row = rows.get(key);
    if (!row) {
      row = { destinationId: a.destinationId, tenantId: a.tenantId, start, attempts: 0, successes: 0, failures: 0, latency: emptyHistogram() };
      rows.set(key, row);
    }
    row.attempts += 1;
    if (a.succeeded) row.successes += 1;
    else row.failures += 1;
    row.latency[latencyBucket(a.durationMs)]! += 1;
  }
  return [...rows.values()].sort((x, y) => (x.destinationId < y.destinationId ? -1 : x.destinationId > y.destinationId ? 1 : x.start - y.start));
}
