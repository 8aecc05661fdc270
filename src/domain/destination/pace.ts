import type { RateLimit } from './destination.entity';

/** A rate limit as the bucket uses it: one request per `intervalMs`, up to `burst` at once. */
export interface Pace {
  intervalMs: number;
  burst: number;
}

/** The pace of a destination's rate limit; null when it limits only concurrency. A burst left out is 1: evenly spaced. */
export function paceOf(limit: RateLimit): Pace | null {
  if (limit.perSecond == null) return null;
  return { intervalMs: 1000 / limit.perSecond, burst: limit.burst ?? 1 };
}

export interface Taken {
  /** Requests that may go now (at most what was asked for). */
  granted: number;
  /** The destination's pace after them, to store. */
  paceAt: number;
  /** When one more may go. */
  nextAt: number;
}

/**
 * A destination's token bucket (its rate limit), kept as one number (the generic cell rate algorithm): the
 * time the bucket is paid up to. Each request moves it one interval on; a request may go
 * while it stays within `burst` intervals of now. `paceAt` null: never used (a full bucket).
 */
export function takeTokens(paceAt: number | null, pace: Pace, now: number, want: number): Taken {
  const start = Math.max(paceAt ?? now, now);
  // The epsilon keeps a bucket that is exactly due from losing its token to rounding.
  const room = Math.floor((now + pace.burst * pace.intervalMs - start) / pace.intervalMs + 1e-9);
  const granted = Math.max(0, Math.min(want, room));
  const after = start + granted * pace.intervalMs;
  return { granted, paceAt: after, nextAt: Math.max(now, after - (pace.burst - 1) * pace.intervalMs) };
}
