import { LATENCY_BUCKET_FLOORS_MS } from '../domain/stats/latency-histogram';
import { STATS_SPANS_MS, type StatsSpanMs } from '../domain/stats/stats-rollup';
import { MINUTE } from '../domain/common/time';

/**
 * destination_stats_minute and destination_stats_hour: per destination and minute (or
 * hour; bucket_start, epoch ms), the attempts made, how many succeeded and failed, and
 * how many took how long: `ms_<floor>` counts those from that floor up to the next
 * column's (latency-histogram.ts).
 */
export function statsTable(span: StatsSpanMs): string {
  return span === MINUTE ? 'destination_stats_minute' : 'destination_stats_hour';
}
export const STATS_TABLES: readonly string[] = STATS_SPANS_MS.map(statsTable);
export const LATENCY_COLUMNS: readonly string[] = LATENCY_BUCKET_FLOORS_MS.map((floor) => `ms_${floor}`);
/** The columns a new span's counts add to. */
export const COUNT_COLUMNS: readonly string[] = ['attempts', 'successes', 'failures', ...LATENCY_COLUMNS];
