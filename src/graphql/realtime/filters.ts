import type { DeliveryFilter } from '../../domain/delivery/delivery.service';
import { matchesEventType } from '../../domain/webhook/event-type-pattern';
import type { DeliveryWire } from './wire';

/**
 * Server-side filters of the subscriptions, pure so they are tested alone. Event types
 * accept the webhook patterns (`order.created`, `order.*`, `*`).
 */
export function deliveryMatches(filter: DeliveryFilter | null | undefined, d: DeliveryWire): boolean {
  if (!filter) return true;
  if (filter.tenantId && filter.tenantId !== d.tenantId) return false;
  if (filter.status?.length && !filter.status.includes(d.status)) return false;
  if (filter.webhookId && filter.webhookId !== d.webhookId) return false;
  if (filter.destinationId && filter.destinationId !== d.destinationId) return false;
  if (filter.eventId && filter.eventId !== d.eventId) return false;
  if (filter.eventType?.length && !matchesEventType(filter.eventType, d.eventType)) return false;
  if (filter.createdAfter && d.createdAt < filter.createdAfter.getTime()) return false;
  if (filter.createdBefore && d.createdAt >= filter.createdBefore.getTime()) return false;
  return true;
}

export function eventTypeMatches(types: readonly string[] | null | undefined, type: string): boolean {
  return !types?.length || matchesEventType(types, type);
}
