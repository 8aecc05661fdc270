import { UserError } from '../common/user-error';
import { DAY, HOUR, MINUTE } from '../common/time';
import type { StatsSpanMs } from './stats-rollup';

/** The longest window statistics are asked for (retention keeps them a little longer). */
export const MAX_WINDOW_DAYS = 31;
/** Windows up to this long have a bucket per minute in their series; longer ones a bucket per hour. */
export const MINUTE_BUCKETS_UP_TO_MS = 2 * HOUR;

/** A window of statistics as it is read: whole minutes, and the size of its series' buckets. */
export interface StatsWindow {
  /** The start of the minute `since` falls in (epoch ms). */
  from: number;
  /** Epoch ms; the minute it falls in counts whole. */
  until: number;
  bucketMs: number;
  /** The series' buckets: their starts, aligned to their size, from the one holding `from` on. */
  bucketStarts: number[];
}

/**
 * The window from `since` to `until`: every minute that overlaps it counts, whole. Its
 * series has a bucket per minute up to two hours, a bucket per hour beyond (at most 744
 * for 31 days). An empty, reversed or longer window is refused.
 */
export function statsWindow(since: Date, until: Date): StatsWindow {
  const start = since.getTime();
  const end = until.getTime();
  if (!(end > start)) throw new UserError(['until'], 'until must be later than since', 'INVALID');
  if (end - start > MAX_WINDOW_DAYS * DAY) throw new UserError(['since'], `a window of statistics spans at most ${MAX_WINDOW_DAYS} days`, 'OUT_OF_RANGE');
  const bucketMs = end - start <= MINUTE_BUCKETS_UP_TO_MS ? MINUTE : HOUR;
  const from = start - (start % MINUTE);
  const bucketStarts: number[] = [];
  for (let b = from - (from % bucketMs); b < end; b += bucketMs) bucketStarts.push(b);
  return { from, until: end, bucketMs, bucketStarts };
}

/** Rows of one span to read: those starting from `from` up to `until`. */
export interface StatsRead {
  spanMs: StatsSpanMs;
  from: number;
  until: number;
}

/**
 * What a window reads: its whole hours from the hour rows, the minutes before and after
 * them from the minute rows (a day is at most 24 hour rows and 120 minute rows per
 * destination). A window of minute buckets, or within two hours, reads minutes only.
 */
export function statsReads(window: StatsWindow): StatsRead[] {
  const firstHour = Math.ceil(window.from / HOUR) * HOUR;
  const endHour = Math.floor(window.until / HOUR) * HOUR;
  if (window.bucketMs === MINUTE || endHour <= firstHour) return [{ spanMs: MINUTE, from: window.from, until: window.until }];
  return [
    ...(window.from < firstHour ? [{ spanMs: MINUTE, from: window.from, until: firstHour }] : []),
    { spanMs: HOUR, from: firstHour, until: endHour },
    ...(endHour < window.until ? [{ spanMs: MINUTE, from: endHour, until: window.until }] : []),
  ];
}
