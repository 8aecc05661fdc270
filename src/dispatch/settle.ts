import type { DeliveryStatus } from '../domain/delivery/delivery.entity';
import type { RetryPolicy } from '../domain/destination/destination.entity';
import type { Outcome } from './outcome';
import { nextRetry } from './retry/next-retry';

/** The delivery's next state after an attempt: what complete.ts writes. */
export interface Settlement {
  status: Extract<DeliveryStatus, 'SUCCEEDED' | 'RETRY_SCHEDULED' | 'FAILED'>;
  dueAt: Date | null;
  /** Set when the attempt means the destination must be disabled (410). */
  disableDestination: string | null;
  /** Attempts ran out (or a non-retryable failure): a `delivery.failed` system event follows. */
  failed: boolean;
}

export interface SettleInput {
  outcome: Outcome;
  policy: RetryPolicy;
  /** Attempts made in this round, this one included. */
  attemptsInRound: number;
  now: Date;
  random?: () => number;
}

export function settle({ outcome, policy, attemptsInRound, now, random }: SettleInput): Settlement {
  switch (outcome.kind) {
    case 'SUCCESS':
      return { status: 'SUCCEEDED', dueAt: null, disableDestination: null, failed: false };
    case 'FAIL':
      return { status: 'FAILED', dueAt: null, disableDestination: null, failed: true };
    case 'RETRY':
    case 'GONE': {
      const next = nextRetry(policy, { attemptsInRound, retryAfterMs: outcome.kind === 'RETRY' ? outcome.retryAfterMs : null, random });
      const disableDestination = outcome.kind === 'GONE' ? outcome.error : null;
      if (next.kind === 'EXHAUSTED') return { status: 'FAILED', dueAt: null, disableDestination, failed: true };
      return { status: 'RETRY_SCHEDULED', dueAt: new Date(now.getTime() + next.delayMs), disableDestination, failed: false };
    }
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}
