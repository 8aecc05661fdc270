import type { DestinationService } from '../domain/destination/destination.service';
import type { EventService } from '../domain/event/event.service';
import type { Signals } from '../domain/common/signals';
import type { Logger } from '../logger';
import type { AnnounceDelivery } from './announce';
import type { ClaimLoop } from './claim-loop';
import type { CommitFollower, Committed } from './completion-writer';
import type { ContextCache } from './context-cache';
import { sendingLines, type DestinationLines } from './destination-lines';
import { coerceError } from './errors';
import type { InactiveDestinations } from './inactive-destinations';
import type { RequestSlots } from './request-slots';
import { publishDeliveryFailed, publishDestinationDisabled } from './system-events';

export interface AfterCommitDeps {
  slots: RequestSlots;
  loop: Pick<ClaimLoop, 'backlog' | 'wake'>;
  lines: DestinationLines;
  inactive: InactiveDestinations;
  cache: ContextCache;
  announce: AnnounceDelivery;
  events: EventService;
  destinations: DestinationService;
  signals: Signals;
  log: Logger;
}

/**
 * What follows each commit of the completion writer: the unrecorded bound has room again
 * (the slots fill), the claims are woken where the results let more go, and the results
 * are told: deliveryUpdated, delivery.failed, destination.disabled.
 */
export class AfterCommit implements CommitFollower {
  constructor(private readonly deps: AfterCommitDeps) {}

  committed({ updated, disabledDestinations, down }: Committed): void {
    const { slots, loop, lines, inactive, announce } = this.deps;
    // A destination found down may have had its breaker opened (no hand-off to it until
    // the next claim has read the list again), a probe's success closed it.
    if (down.length) inactive.doubt(down);
    else if (slots.probing && updated.some((u) => inactive.probing(u.delivery.destinationId))) inactive.invalidate();
    slots.fill();
    // A finished delivery with an ordering key lets the next of its key go.
    // A finished request to a limited destination frees its place: its line may go on (as
    // may a line this process's room held back).
    const limited = inactive.limited;
    for (const { delivery } of updated) if (limited.includes(delivery.destinationId)) lines.touch(delivery.destinationId);
    const lineDue = limited.length > 0 && lines.anyDue(sendingLines(inactive), Date.now());
    if (loop.backlog || lineDue || updated.some((u) => u.delivery.orderingKey != null)) loop.wake();
    for (const { delivery, attempt } of updated) announce(delivery, attempt);
    this.logAttempts(updated);
    this.publishFailures(updated);
    for (const disabled of disabledDestinations) this.announceDisabled(disabled);
  }

  /**
   * One line per attempt: at info when it failed (an operator looks for those), at debug
   * when it succeeded. Ids, outcome, status and duration; never the request or response.
   */
  private logAttempts(updated: Committed['updated']): void {
    const { log } = this.deps;
    const debug = log.isLevelEnabled('debug');
    for (const { delivery, attempt } of updated) {
      if (!attempt || (attempt.outcome === 'SUCCESS' && !debug)) continue;
      const line = {
        deliveryId: delivery.id,
        destinationId: delivery.destinationId,
        eventId: delivery.eventId,
        tenantId: delivery.tenantId,
        attempt: attempt.attemptNumber,
        outcome: attempt.outcome,
        statusCode: attempt.responseStatusCode,
        durationMs: attempt.durationMs,
        next: delivery.status,
      };
      if (attempt.outcome === 'SUCCESS') log.debug(line, 'attempt succeeded');
      else log.info({ ...line, error: attempt.error }, 'attempt failed');
    }
  }

  private publishFailures(updated: Committed['updated']): void {
    const { events, log } = this.deps;
    for (const { delivery, attempt } of updated) {
      if (delivery.status === 'FAILED' && delivery.trigger !== 'TEST') {
        publishDeliveryFailed(events, delivery, attempt).catch((error: unknown) =>
          log.error({ err: coerceError(error), deliveryId: delivery.id }, 'publishing delivery.failed failed'),
        );
      }
    }
  }

  private announceDisabled({ id }: Committed['disabledDestinations'][number]): void {
    const { cache, destinations, signals, events, log } = this.deps;
    cache.forget(id);
    void (async () => {
      const destination = await destinations.getMany([id]).then((rows) => rows[0]);
      if (!destination) return;
      signals.emit('destinationStatusChanged', destination);
      await publishDestinationDisabled(events, destination);
    })().catch((error: unknown) => log.error({ err: coerceError(error), destinationId: id }, 'announcing destination.disabled failed'));
  }
}
