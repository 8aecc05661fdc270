import { In, type EntityManager } from 'typeorm';
import { DeliveryEntity } from './delivery.entity';

/** Cancels deliveries that have not started, e.g. when their webhook or destination goes away. */
export async function cancelWaiting(
  tx: EntityManager,
  where: { destinationId?: string; webhookId?: string },
  now: Date,
  reason: string,
): Promise<void> {
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
