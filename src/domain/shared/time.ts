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
