import { HOUR, SECOND } from '../../domain/common/time';

/**
 * Bounds on a receiver's `Retry-After`: at least a second (a receiver cannot make us
 * hammer it), at most an hour (it cannot park a delivery for days).
 */
export const RETRY_AFTER_MIN_MS = 1 * SECOND;
export const RETRY_AFTER_MAX_MS = 1 * HOUR;

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`, clamped; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (!text) return null;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * SECOND;
  } else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(RETRY_AFTER_MIN_MS, ms));
}
