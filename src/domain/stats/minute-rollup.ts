import { MINUTE } from '../shared/time';
import { emptyHistogram, latencyBucket } from './latency-histogram';

/** One attempt as the statistics count it. */
export interface CountedAttempt {
  destinationId: string;
  tenantId: string;
  /** When it was made. */
  at: Date;
  succeeded: boolean;
  durationMs: number;
}

/** What one destination's attempts of one minute add to its statistics. */
export interface MinuteRollup {
  destinationId: string;
  tenantId: string;
  /** Epoch ms of the minute's start. */
  minute: number;
  attempts: number;
  successes: number;
  failures: number;
  /** Counts per latency bucket (latency-histogram.ts). */
  latency: number[];
}

/**
 * A batch's attempts summed per destination and minute, in key order: each becomes one
 * row added to the stored one, and writers that meet on a row take it in the same order.
 */
export function rollUpByMinute(attempts: readonly CountedAttempt[]): MinuteRollup[] {
  const rows = new Map<string, MinuteRollup>();
  for (const a of attempts) {
    const minute = a.at.getTime() - (a.at.getTime() % MINUTE);
    const key = `${a.destinationId} ${minute}`;
    let row = rows.get(key);
    if (!row) {
      row = { destinationId: a.destinationId, tenantId: a.tenantId, minute, attempts: 0, successes: 0, failures: 0, latency: emptyHistogram() };
      rows.set(key, row);
    }
    row.attempts += 1;
    if (a.succeeded) row.successes += 1;
    else row.failures += 1;
    row.latency[latencyBucket(a.durationMs)]! += 1;
  }
  return [...rows.values()].sort((x, y) => (x.destinationId < y.destinationId ? -1 : x.destinationId > y.destinationId ? 1 : x.minute - y.minute));
}
