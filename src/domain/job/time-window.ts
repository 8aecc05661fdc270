import { UserError } from '../common/user-error';

/** A half-open time range [since, until) of creation times, as recover and replay take it. */
export interface TimeWindow {
  since: Date;
  until: Date;
}

/** `until` defaults to now; an empty or inverted window is refused. */
export function timeWindow(since: Date, until: Date | null | undefined, now = new Date()): TimeWindow {
  const end = until ?? now;
  if (Number.isNaN(since.getTime()) || Number.isNaN(end.getTime())) throw new UserError(['since'], 'since and until must be valid times', 'INVALID');
  if (since >= end) throw new UserError(['until'], 'until must be later than since', 'INVALID');
  return { since, until: end };
}

/** The window as job params store it (JSON). */
export interface StoredWindow {
  since: number;
  until: number;
}

export const storeWindow = (w: TimeWindow): StoredWindow => ({ since: w.since.getTime(), until: w.until.getTime() });
export const loadWindow = (w: StoredWindow): TimeWindow => ({ since: new Date(w.since), until: new Date(w.until) });
