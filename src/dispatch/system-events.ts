import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { DestinationEntity } from '../domain/destination/destination.entity';
import type { EventService } from '../domain/event/event.service';
import { DELIVERY_FAILED, DESTINATION_DISABLED } from '../domain/event/system-event-types';

/**
 * `delivery.failed`, unless the failed delivery was itself carrying a `delivery.failed`
 * event: a webhook subscribed to `*` whose receiver is down would otherwise publish a
 * new failure event for every failed failure notice, forever.
 */
export async function publishDeliveryFailed(events: EventService, delivery: DeliveryEntity, attempt: DeliveryAttemptEntity | null): Promise<void> {
  if (delivery.eventType === DELIVERY_FAILED) return;
  await events.publish(
    {
      tenantId: delivery.tenantId,
      type: DELIVERY_FAILED,
      entityId: delivery.id,
      data: {
        deliveryId: delivery.id,
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        webhookId: delivery.webhookId,
        destinationId: delivery.destinationId,
        attemptCount: delivery.attemptCount,
        lastStatusCode: delivery.lastStatusCode,
        lastError: delivery.lastError,
        outcome: attempt?.outcome ?? null,
      },
    },
    'SYSTEM',
  );
}

export async function publishDestinationDisabled(events: EventService, destination: DestinationEntity): Promise<void> {
  await events.publish(
    {
      tenantId: destination.tenantId,
      type: DESTINATION_DISABLED,
      entityId: destination.id,
      data: { destinationId: destination.id, name: destination.name, reason: destination.statusReason, disabledAt: destination.statusChangedAt.toISOString() },
    },
    'SYSTEM',
  );
}
