import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { DestinationEntity } from '../domain/destination/destination.entity';
import type { Claimed } from '../sql/claim-due';
import type { AttemptResult } from './attempt-runner';
import type { Finished } from './completion-writer';
import { settle } from './settle';

/** Stored error texts are cut to the column's size. */
const MAX_ERROR = 1000;

/** What an attempt that went on the wire leaves to write: the attempt and the delivery's next state. */
export function finishAttempt(claimed: Claimed, result: Extract<AttemptResult, { kind: 'SENT' }>, destination: DestinationEntity, now: Date): Finished {
  const d = claimed.delivery;
  const attemptCount = d.attemptCount + 1;
  const { outcome, attempt } = result;
  const next = settle({ outcome, policy: destination.retryPolicy, attemptsInRound: attemptCount - claimed.roundBase, now });
  return {
    delivery: d,
    attempt,
    completion: {
      id: d.id,
      status: next.status,
      attemptCount,
      dueAt: next.dueAt,
      lastStatusCode: attempt.responseStatusCode,
      lastError: outcome.kind === 'SUCCESS' ? null : outcome.error.slice(0, MAX_ERROR),
    },
    disableDestination: next.disableDestination,
    health: outcome.kind === 'SUCCESS' ? 'UP' : outcome.kind === 'RETRY' ? 'DOWN' : null,
  };
}

/** A request that could not be built (a secret that no longer opens): FAILED, no attempt, nothing sent. */
export function finishUnbuildable(d: DeliveryEntity, error: Error): Finished {
  const message = `the request could not be built: ${error.message}`;
  return {
    delivery: d,
    attempt: null,
    completion: { id: d.id, status: 'FAILED', attemptCount: d.attemptCount, dueAt: null, lastStatusCode: null, lastError: message.slice(0, MAX_ERROR) },
    disableDestination: null,
    health: null,
  };
}

/** Its event, webhook or destination is gone: CANCELLED with the reason, nothing sent. */
export function finishCancelled(d: DeliveryEntity, reason: string): Finished {
  return {
    delivery: d,
    attempt: null,
    completion: { id: d.id, status: 'CANCELLED', attemptCount: d.attemptCount, dueAt: null, lastStatusCode: d.lastStatusCode, lastError: reason },
    disableDestination: null,
    health: null,
  };
}
