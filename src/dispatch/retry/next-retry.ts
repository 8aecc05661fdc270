import type { RetryPolicy } from '../../domain/destination/destination.entity';
import { exponentialDelayMs } from './exponential-strategy';
import { withJitter } from './jitter';
import { scheduleDelayMs } from './schedule-strategy';

export type NextRetry = { kind: 'RETRY'; delayMs: number } | { kind: 'EXHAUSTED' };

export interface NextRetryInput {
  /** Attempts made in this round, the one that just failed included (≥ 1). */
  attemptsInRound: number;
  /** A receiver's Retry-After, already parsed and bounded; replaces the policy's delay (no jitter). */
  retryAfterMs?: number | null;
  random?: () => number;
}

/**
 * When to try again after a retryable failure, or that the round is over. A round is
 * the automatic attempts since the delivery was created or last retried by an operator;
 * `maxAttempts` counts the attempts of one round.
 */
export function nextRetry(policy: RetryPolicy, input: NextRetryInput): NextRetry {
  if (input.attemptsInRound >= policy.maxAttempts) return { kind: 'EXHAUSTED' };
  let delayMs: number | null;
  switch (policy.strategy) {
    case 'SCHEDULE':
      delayMs = scheduleDelayMs(policy, input.attemptsInRound);
      break;
    case 'EXPONENTIAL':
      delayMs = exponentialDelayMs(policy, input.attemptsInRound);
      break;
    default: {
      const never: never = policy.strategy;
      throw new Error(`unknown retry strategy ${String(never)}`);
    }
  }
  if (delayMs === null) return { kind: 'EXHAUSTED' };
  if (input.retryAfterMs != null) return { kind: 'RETRY', delayMs: input.retryAfterMs };
  return { kind: 'RETRY', delayMs: withJitter(delayMs, input.random) };
}
