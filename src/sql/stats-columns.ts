import { LATENCY_BUCKET_FLOORS_MS } from '../domain/stats/latency-histogram';

/**
 * destination_stats: per destination and minute (bucket_start, epoch ms), the attempts
 * made, how many succeeded and failed, and how many took how long: `ms_<floor>` counts
 * those from that floor up to the next column's (latency-histogram.ts).
 */
export const STATS_TABLE = 'destination_stats';
export const LATENCY_COLUMNS: readonly string[] = LATENCY_BUCKET_FLOORS_MS.map((floor) => `ms_${floor}`);
/** The columns a new minute's counts add to. */
export const COUNT_COLUMNS: readonly string[] = ['attempts', 'successes', 'failures', ...LATENCY_COLUMNS];
