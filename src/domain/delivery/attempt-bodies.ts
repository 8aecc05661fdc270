import { In, type EntityManager } from 'typeorm';
import { rebuildBody } from '../../dispatch/request/body-recipe';
import { EventEntity } from '../event/event.entity';
import type { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryEntity } from './delivery.entity';

/**
 * Attempts read from the database with their request bodies rebuilt where they were
 * stored as a recipe (body-recipe.ts): two reads, of their deliveries and their events,
 * for any number of attempts. An attempt's event lives as long as the attempt (retention
 * deletes attempts first), so every recipe finds what it needs.
 */
export async function withRequestBodies<T extends DeliveryAttemptEntity[]>(manager: EntityManager, attempts: T): Promise<T> {
  const rebuilt = attempts.filter((a) => a.requestBodyRecipe !== null && a.requestBody === null);
  if (rebuilt.length === 0) return attempts;
  const deliveries = await manager.find(DeliveryEntity, {
    select: { id: true, eventId: true, webhookId: true },
    where: { id: In([...new Set(rebuilt.map((a) => a.deliveryId))]) },
  });
  const events = await manager.findBy(EventEntity, { id: In([...new Set(deliveries.map((d) => d.eventId))]) });
  const deliveryById = new Map(deliveries.map((d) => [d.id, d]));
  const eventById = new Map(events.map((e) => [e.id, e]));
  for (const attempt of rebuilt) {
    const delivery = deliveryById.get(attempt.deliveryId);
    const event = delivery && eventById.get(delivery.eventId);
    if (!delivery || !event) continue;
    attempt.requestBody = rebuildBody(attempt.requestBodyRecipe!, {
      event,
      webhookId: delivery.webhookId,
      deliveryId: delivery.id,
      attempt: attempt.attemptNumber,
    });
  }
  return attempts;
}
