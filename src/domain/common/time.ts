import type { ValueTransformer } from 'typeorm';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Times are stored as BIGINT epoch milliseconds on both databases: one code path, cheap
 * comparisons in queue statements, no driver time-zone surprises.
 */
export const epochMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value == null ? value : value.getTime()),
  from: (value: string | number | null) => (value == null ? null : new Date(Number(value))),
};

/**
 * The slowest rate a rate limit takes, per second: one request an hour. Slower is not a
 * limit but a pause (a destination has PAUSED for that), and the waits it would compute
 * (years, or Infinity for 1e-300) would hold deliveries and Redis keys for ever.
 */
export const SLOWEST_RATE_PER_SECOND = SECOND / HOUR;
/** How SLOWEST_RATE_PER_SECOND reads in a message. */
export const SLOWEST_RATE_TEXT = '1/3600 (≈ 0.000278, one an hour)';
