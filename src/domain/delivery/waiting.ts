import { In, type EntityManager } from 'typeorm';
import { DeliveryEntity } from './delivery.entity';

/** Cancels deliveries that have not started, e.g. when their webhook or destination goes away. */
export async function cancelWaiting(tx: EntityManager, where: { destinationId?: string; webhookId?: string }, now: Date, reason: string): Promise<void> {
  await tx.update(
    DeliveryEntity,
    { ...where, status: In(['PENDING', 'RETRY_SCHEDULED']) },
    { status: 'CANCELLED', dueAt: null, lastError: reason, updatedAt: now, completedAt: now },
  );
}

/** Makes the waiting deliveries of a destination due now, e.g. when it is re-activated. */
export async function resumeWaiting(tx: EntityManager, destinationId: string, now: Date): Promise<void> {
  await tx.update(DeliveryEntity, { destinationId, status: In(['PENDING', 'RETRY_SCHEDULED']) }, { dueAt: now, updatedAt: now });
}

/**
 * The due time of a delivery waiting in its destination's line: the destination has a
 * rate limit or a max concurrency, and only the claim of its line (sql/claim-line.ts)
 * takes it, as the limits allow. Far past any real due time, so no other claim ever
 * reaches it (9999-12-31T23:59:59Z).
 */
export const IN_LINE = 253_402_300_799_000;
