import { EventEmitter } from 'node:events';
import type { DeliveryEntity } from '../delivery/delivery.entity';
import type { BulkRetryProgress } from '../delivery/bulk-retry-progress';
import type { BulkJobProgress } from '../job/bulk-job-progress';
import type { DeliveryAttemptEntity } from '../delivery/delivery-attempt.entity';
import type { DestinationEntity } from '../destination/destination.entity';
import type { EventEntity } from '../event/event.entity';
import type { ListenerRequestEntity } from '../listener/listener-request.entity';
import type { TenantEntity } from '../tenant/tenant.entity';

/**
 * What the domain announces, always AFTER the transaction that made it true has
 * committed. The dispatcher listens to wake up; the GraphQL layer forwards to pub/sub.
 * Each signal means one thing, and each carries what its listeners need: none depends
 * on another having come first.
 */
export interface SignalMap {
  /** A publish stored new deliveries (PENDING, or leased to this process's dispatcher); `events`: the events they belong to. */
  deliveriesCreated: [deliveries: DeliveryEntity[], events: EventEntity[]];
  /** Deliveries an operator queued again (PENDING, due now); each one's change comes as deliveryUpdated too. */
  deliveriesRequeued: [deliveries: DeliveryEntity[]];
  deliveryUpdated: [delivery: DeliveryEntity, attempt: DeliveryAttemptEntity | null];
  eventPublished: [event: EventEntity];
  destinationStatusChanged: [destination: DestinationEntity];
  /** Its rate limit or max concurrency was set, changed or lifted (or it was created with them). */
  destinationLimitsChanged: [destination: DestinationEntity];
  /** A destination or webhook was changed or deleted: what the dispatcher keeps of it is stale. */
  routeChanged: [kind: 'destination' | 'webhook', id: string];
  apiKeyRevoked: [apiKeyId: string];
  listenerRequestReceived: [request: ListenerRequestEntity];
  bulkRetryProgress: [progress: BulkRetryProgress];
  /** A bulk job was stored, changed state or finished a batch. */
  bulkJobProgress: [progress: BulkJobProgress];
  /** A bulk job was stored QUEUED: this process's runner looks for work at once. */
  bulkJobQueued: [jobId: string];
  /** Marked for deletion: its data goes in the background (tenant-deletion.ts), its portal tokens stop at once. */
  tenantDeleting: [tenant: TenantEntity];
  /** Every portal token of the tenant issued so far was revoked. */
  tenantPortalRevoked: [tenant: TenantEntity];
}

export class Signals {
  private readonly emitter = new EventEmitter().setMaxListeners(100);

  emit<K extends keyof SignalMap>(name: K, ...args: SignalMap[K]): void {
    this.emitter.emit(name, ...args);
  }

  on<K extends keyof SignalMap>(name: K, listener: (...args: SignalMap[K]) => void): () => void {
    this.emitter.on(name, listener as (...args: unknown[]) => void);
    return () => this.emitter.off(name, listener as (...args: unknown[]) => void);
  }
}
