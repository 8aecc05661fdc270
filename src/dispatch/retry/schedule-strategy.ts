import type { RetryPolicy } from '../../domain/destination/destination.entity';

/**
 * SCHEDULE: the delay after the n-th attempt of a round is `scheduleSeconds[n - 1]`.
 * Null when the schedule has no entry left (the round is over even if maxAttempts is larger).
 */
export function scheduleDelayMs(policy: RetryPolicy, attemptsInRound: number): number | null {
  const seconds = policy.scheduleSeconds[attemptsInRound - 1];
  return seconds === undefined ? null : seconds * 1000;
}
