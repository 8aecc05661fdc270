import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryAttemptEntity } from '../../src/domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/destination/destination.defaults';
import type { DestinationEntity } from '../../src/domain/destination/destination.entity';
import type { AttemptResult } from '../../src/dispatch/attempt-runner';
import { finishAttempt, finishCancelled, finishUnbuildable } from '../../src/dispatch/finish';
import type { Outcome } from '../../src/dispatch/outcome';

const now = new Date('2026-11-29T10:00:00Z');
const delivery = { id: 'dlv_1', attemptCount: 0, lastStatusCode: null } as DeliveryEntity;
const destination = { retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 } } as DestinationEntity;

function sent(outcome: Outcome, statusCode: number | null): Extract<AttemptResult, { kind: 'SENT' }> {
  return { kind: 'SENT', outcome, attempt: { responseStatusCode: statusCode } as DeliveryAttemptEntity } as Extract<AttemptResult, { kind: 'SENT' }>;
}

describe('finishing an attempt', () => {
  it('records a success: SUCCEEDED, one more attempt, no error, nothing due', () => {
    const f = finishAttempt({ delivery, roundBase: 0 }, sent({ kind: 'SUCCESS', attemptOutcome: 'SUCCESS', statusCode: 200 }, 200), destination, now);
    assert.deepEqual(f.completion, { id: 'dlv_1', status: 'SUCCEEDED', attemptCount: 1, dueAt: null, lastStatusCode: 200, lastError: null });
    assert.equal(f.disableDestination, null);
  });

  it('counts attempts within the round: a manual retry starts a new one', () => {
    const failing = sent({ kind: 'RETRY', attemptOutcome: 'HTTP_ERROR', statusCode: 503, error: 'HTTP 503', retryAfterMs: null }, 503);
    const third = { delivery: { ...delivery, attemptCount: 2 }, roundBase: 0 };
    assert.equal(finishAttempt(third, failing, destination, now).completion.status, 'FAILED', 'the third of three attempts exhausts the round');
    const afterManualRetry = { delivery: { ...delivery, attemptCount: 2 }, roundBase: 2 };
    const next = finishAttempt(afterManualRetry, failing, destination, now).completion;
    assert.equal(next.status, 'RETRY_SCHEDULED');
    assert.equal(next.attemptCount, 3);
    assert.ok(next.dueAt && next.dueAt > now);
  });

  it('asks for the destination to be disabled on a 410, and cuts long errors to the column', () => {
    const gone = finishAttempt(
      { delivery, roundBase: 0 },
      sent({ kind: 'GONE', attemptOutcome: 'HTTP_ERROR', statusCode: 410, error: 'x'.repeat(5000) }, 410),
      destination,
      now,
    );
    assert.equal(gone.disableDestination, 'x'.repeat(5000));
    assert.equal(gone.completion.lastError!.length, 1000);
  });

  it('fails a request that could not be built and cancels one whose parts are gone, without an attempt', () => {
    const unbuildable = finishUnbuildable(delivery, new Error('the signing secret does not open'));
    assert.deepEqual(unbuildable.completion, {
      id: 'dlv_1',
      status: 'FAILED',
      attemptCount: 0,
      dueAt: null,
      lastStatusCode: null,
      lastError: 'the request could not be built: the signing secret does not open',
    });
    assert.equal(unbuildable.attempt, null);
    const cancelled = finishCancelled({ ...delivery, lastStatusCode: 500 }, 'webhook deleted');
    assert.deepEqual(cancelled.completion, {
      id: 'dlv_1',
      status: 'CANCELLED',
      attemptCount: 0,
      dueAt: null,
      lastStatusCode: 500,
      lastError: 'webhook deleted',
    });
  });
});
