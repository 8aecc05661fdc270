import type { DeliveryEntity } from '../delivery/delivery.entity';
import { newId } from '../shared/ids';
import { matchesEventType } from '../webhook/event-type-pattern';
import { matchesFilter } from '../webhook/filter';
import type { WebhookEntity } from '../webhook/webhook.entity';
import type { EventEntity } from './event.entity';

/**
 * The deliveries an event needs: one PENDING delivery per enabled webhook whose
 * type patterns match and whose filter accepts the data. Pure: the caller stores them
 * in the same transaction as the event.
 */
export function fanOut(event: EventEntity, webhooks: readonly WebhookEntity[], now: Date): DeliveryEntity[] {
  const deliveries: DeliveryEntity[] = [];
  for (const webhook of webhooks) {
    if (!webhook.enabled || !matchesEventType(webhook.eventTypes, event.type)) continue;
    if (!matchesFilter(webhook.filter, event.data)) continue;
    deliveries.push({
      id: newId('delivery'),
      eventId: event.id,
      webhookId: webhook.id,
      destinationId: webhook.destinationId,
      eventType: event.type,
      status: 'PENDING',
      trigger: 'AUTOMATIC',
      attemptCount: 0,
      dueAt: now,
      leaseOwner: null,
      orderingKey: event.orderingKey,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    });
  }
  return deliveries;
}
