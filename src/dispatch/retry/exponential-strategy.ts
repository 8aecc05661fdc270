import type { RetryPolicy } from '../../domain/destination/destination.entity';

/** EXPONENTIAL: initial × multiplier^(n − 1) after the n-th attempt, capped at maxIntervalMs. */
export function exponentialDelayMs(policy: RetryPolicy, attemptsInRound: number): number {
  const raw = policy.initialIntervalMs * Math.pow(policy.multiplier, Math.max(0, attemptsInRound - 1));
  return Math.min(policy.maxIntervalMs, Number.isFinite(raw) ? raw : policy.maxIntervalMs);
}
