/** ±20 %: spreads retries of many deliveries that failed together (a receiver outage). */
export const JITTER_FRACTION = 0.2;

/** `delayMs` moved by a uniform factor in [1 - 20 %, 1 + 20 %); `random` is injectable for tests. */
export function withJitter(delayMs: number, random: () => number = Math.random): number {
  const factor = 1 - JITTER_FRACTION + 2 * JITTER_FRACTION * random();
  return Math.max(0, Math.round(delayMs * factor));
}
