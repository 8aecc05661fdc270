import type { EventEntity } from '../domain/event/event.entity';
import type { Logger } from '../logger';
import type { CompletionWriter } from './completion-writer';
import type { ContextCache, DeliveryContext } from './context-cache';
import type { DestinationLines } from './destination-lines';
import { coerceError } from './errors';
import { finishCancelled } from './finish';
import { InProgress } from './in-progress';
import type { LeaseRelease } from './lease-release';
import type { Claimed } from '../sql/claim-due';
import type { InactiveDestinations } from './inactive-destinations';
import type { RequestSlots } from './request-slots';
import type { Holder } from './room';

export interface ClaimedBatchesDeps {
  cache: ContextCache;
  writer: CompletionWriter;
  leases: LeaseRelease;
  lines: DestinationLines;
  inactive: InactiveDestinations;
  slots: RequestSlots;
  /** Deliveries went back to their destination's line: claim it. */
  wake(): void;
  log: Logger;
}

/**
 * Claimed (or handed-off) deliveries on their way to a request slot: each batch loads
 * what its requests are built from (context-cache.ts), then waits for slots. A delivery
 * whose event, webhook or destination is gone is cancelled; one whose destination is not
 * ACTIVE is parked; one of a destination limited since the claim read the list goes back
 * to its line, which decides.
 */
export class ClaimedBatches implements Holder {
  /** Deliveries whose batch is loading. */
  private readonly loading = new InProgress();

  constructor(private readonly deps: ClaimedBatchesDeps) {}

  get holding(): number {
    return this.loading.size;
  }

  /** `fromLine`: claimed from a limited destination's line (any other delivery of a limited destination goes back to its line). */
  start(claimed: Claimed[], events: readonly EventEntity[], fromLine = false): void {
    this.loading.add(claimed.length);
    void this.load(claimed, events, fromLine)
      .catch((error: unknown) => this.deps.log.error({ err: coerceError(error) }, 'starting a claimed batch failed; its leases will expire'))
      .finally(() => this.loading.done(claimed.length));
  }

  /** Settles once no batch is loading: a stop gives back what waits for a slot only then. */
  idle(): Promise<void> {
    return this.loading.idle();
  }

  private async load(claimed: Claimed[], events: readonly EventEntity[], fromLine: boolean): Promise<void> {
    const { cache, writer, leases, lines, inactive, slots } = this.deps;
    let context: DeliveryContext;
    try {
      context = await cache.load(
        claimed.map((c) => c.delivery),
        events,
      );
    } catch (error) {
      await leases.release(claimed, new Date());
      throw error;
    }
    const parked: Claimed[] = [];
    const toLine: Claimed[] = [];
    for (const c of claimed) {
      const d = c.delivery;
      const event = context.events.get(d.eventId);
      const webhook = context.webhooks.get(d.webhookId);
      const destination = context.destinations.get(d.destinationId);
      if (!event || !webhook || webhook.deletedAt || !destination || destination.deletedAt) {
        void writer.write(finishCancelled(d, !event ? 'event not found' : !webhook || webhook.deletedAt ? 'webhook deleted' : 'destination deleted'));
        continue;
      }
      if (destination.status !== 'ACTIVE') {
        parked.push(c);
        continue;
      }
      // Limits this process had not heard of when it claimed (set within the list's ttl): the line decides.
      if (destination.rateLimit && !fromLine) {
        toLine.push(c);
        lines.touch(destination.id);
        continue;
      }
      slots.enqueue({ claimed: c, event, webhook, destination });
    }
    slots.fill();
    await Promise.all([leases.park(parked), leases.giveBack(toLine, new Date())]);
    if (toLine.length) {
      inactive.invalidate();
      this.deps.wake();
    }
  }
}
