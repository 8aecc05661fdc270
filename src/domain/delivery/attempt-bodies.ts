import { In, type EntityManager } from 'typeorm';
import { rebuildBody } from '../../dispatch/request/body-recipe';
import { EventEntity } from '../event/event.entity';
import type { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryEntity } from './delivery.entity';

/** A stored attempt whose body was kept as a recipe (body-recipe.ts). */
export type RecipeAttempt = Pick<DeliveryAttemptEntity, 'id' | 'deliveryId' | 'attemptNumber'> & { requestBodyRecipe: string };

/**
 * The request bodies of attempts stored as a recipe, rebuilt from their events, in the
 * attempts' order: two reads, of their deliveries and their events, for any number of
 * attempts. An attempt's event lives as long as the attempt (retention deletes attempts
 * first), so every recipe finds what it needs.
 */
export async function rebuildRequestBodies(manager: EntityManager, attempts: readonly RecipeAttempt[]): Promise<(string | null)[]> {
  const deliveries = await manager.find(DeliveryEntity, {
    select: { id: true, eventId: true, webhookId: true },
    where: { id: In([...new Set(attempts.map((a) => a.deliveryId))]) },
  });
  const events = await manager.findBy(EventEntity, { id: In([...new Set(deliveries.map((d) => d.eventId))]) });
  const deliveryById = new Map(deliveries.map((d) => [d.id, d]));
  const eventById = new Map(events.map((e) => [e.id, e]));
  return attempts.map((attempt) => {
    const delivery = deliveryById.get(attempt.deliveryId);
    const event = delivery && eventById.get(delivery.eventId);
    if (!delivery || !event) return null;
    return rebuildBody(attempt.requestBodyRecipe, { event, webhookId: delivery.webhookId, deliveryId: delivery.id, attempt: attempt.attemptNumber });
  });
}
