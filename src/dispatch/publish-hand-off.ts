import type { DispatchConfig } from '../config';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { HandOff, HandOffTaker } from '../domain/event/hand-off';
import type { ClaimLoop } from './claim-loop';
import type { ClaimedBatches } from './claimed-batches';
import type { ContextCache } from './context-cache';
import { InProgress } from './in-progress';
import type { LeaseRelease } from './lease-release';
import type { InactiveDestinations } from './inactive-destinations';
import type { Holder, Room } from './room';

export interface PublishHandOffDeps {
  workerId: string;
  config: Pick<DispatchConfig, 'leaseMs'>;
  room: Room;
  loop: Pick<ClaimLoop, 'backlog' | 'wake'>;
  cache: ContextCache;
  inactive: InactiveDestinations;
  batches: ClaimedBatches;
  leases: LeaseRelease;
}

/**
 * The hand-off at publish (domain/event/hand-off.ts): of a publish's new deliveries, the
 * dispatcher takes as many as it has free slots with nothing else waiting for them
 * (under a backlog, none: the claims keep the order), to destinations it has read as
 * ACTIVE. The publish writes them leased to it, and they start the moment it commits,
 * with no claim in between.
 */
export class PublishHandOff implements HandOffTaker, Holder {
  /** Deliveries taken by publishes not yet committed (or failed); after a stop, until they are given back. */
  private readonly taken = new InProgress();
  private closed = false;

  constructor(private readonly deps: PublishHandOffDeps) {}

  get holding(): number {
    return this.taken.size;
  }

  reserve(deliveries: readonly DeliveryEntity[]): HandOff | null {
    const { workerId, room, loop, cache, inactive, batches, leases } = this.deps;
    const free = room.freeSlots;
    if (this.closed || free <= 0 || loop.backlog) return null;
    const leaseUntil = new Date(Date.now() + this.deps.config.leaseMs);
    const taken = new Map<string, DeliveryEntity>();
    for (const d of deliveries) {
      if (taken.size >= free) break;
      // Only to a destination known to be sending: paused ones, and ones whose breaker is open,
      // probing or may have just opened, are left to the claims. So is a delivery with an
      // ordering key: the claim knows whether an earlier one of its key is unfinished.
      if (d.orderingKey != null || !cache.knownActive(d.destinationId) || !inactive.clear(d.destinationId)) continue;
      taken.set(d.id, { ...d, status: 'IN_FLIGHT', leaseOwner: workerId, dueAt: leaseUntil });
    }
    if (!taken.size) return null;
    const count = taken.size;
    this.taken.add(count);
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      return true;
    };
    return {
      taken,
      commit: (events) => {
        if (!settle()) return;
        // A new delivery's round starts at attempt 0 (see next-retry.ts).
        const claimed = [...taken.values()].map((delivery) => ({ delivery, roundBase: 0 }));
        if (this.closed) {
          void leases.giveBack(claimed, new Date()).finally(() => this.taken.done(count));
          return;
        }
        batches.start(claimed, events);
        this.taken.done(count);
      },
      abort: () => {
        if (!settle()) return;
        this.taken.done(count);
        loop.wake();
      },
    };
  }

  /**
   * A stop: takes nothing more. Settles once every publish that took deliveries has
   * committed or failed, and what it took has started or gone back to the queue.
   */
  close(): Promise<void> {
    this.closed = true;
    return this.taken.idle();
  }
}
