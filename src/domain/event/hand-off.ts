import type { DeliveryEntity } from '../delivery/delivery.entity';
import type { EventEntity } from './event.entity';

/**
 * A dispatcher in this process that takes new deliveries straight from their publish:
 * they are written already leased to it (IN_FLIGHT, due when the lease ends, as a claim
 * leaves them), and it sends them as soon as the publish commits, without a claim's
 * transaction in between. It takes only what it can start at once; the rest is written
 * PENDING for any worker to claim.
 */
export interface HandOffTaker {
  /** Of these new deliveries, the ones it takes now, or null for none. */
  reserve(deliveries: readonly DeliveryEntity[]): HandOff | null;
}

export interface HandOff {
  /** Leased copies of the deliveries taken (by id), to be written instead of the originals. */
  taken: ReadonlyMap<string, DeliveryEntity>;
  /** The publish committed: send them. */
  commit(events: readonly EventEntity[]): void;
  /** The publish failed: nothing was written. */
  abort(): void;
}
