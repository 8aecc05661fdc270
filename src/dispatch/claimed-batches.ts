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
  /** The last batch started, settled once it has reached the slots (or failed). */
  private previous: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ClaimedBatchesDeps) {}

  get holding(): number {
    return this.loading.size;
  }

  /** `fromLine`: claimed from a limited destination's line (any other delivery of a limited destination goes back to its line). */
  start(claimed: Claimed[], events: readonly EventEntity[], fromLine = false): void {
    this.loading.add(claimed.length);
    // Batches load at once but reach the slots in the order they were started (claimed):
    // a batch whose reads came back first must not send before an earlier one.
    const context = this.loadContext(claimed, events);
    context.catch(() => undefined);
    const turn = this.previous.then(async () => this.toSlots(claimed, await context, fromLine));
    this.previous = turn.then(
      () => undefined,
      () => undefined,
    );
    void turn
      .then(({ setAside }) => setAside)
      .catch((error: unknown) => this.deps.log.error({ err: coerceError(error) }, 'starting a claimed batch failed; its leases will expire'))
      .finally(() => this.loading.done(claimed.length));
  }

  /** Settles once no batch is loading: a stop gives back what waits for a slot only then. */
  idle(): Promise<void> {
    return this.loading.idle();
  }

  private async loadContext(claimed: Claimed[], events: readonly EventEntity[]): Promise<DeliveryContext> {
    try {
      return await this.deps.cache.load(
        claimed.map((c) => c.delivery),
        events,
      );
    } catch (error) {
      await this.deps.leases.release(claimed, new Date());
      throw error;
    }
  }

  /**
   * Hands a loaded batch's sendable deliveries to the slots. What it sets aside (parked,
   * back to a line) is written after, without holding up the next batch: `setAside`.
   */
  private toSlots(claimed: Claimed[], context: DeliveryContext, fromLine: boolean): { setAside: Promise<void> } {
    const { writer, leases, lines, inactive, slots } = this.deps;
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
    const setAside = Promise.all([leases.park(parked), leases.giveBack(toLine, new Date())]).then(() => {
      if (toLine.length) {
        inactive.invalidate();
        this.deps.wake();
      }
    });
    return { setAside };
  }
}
