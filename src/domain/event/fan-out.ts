import type { DeliveryEntity, DeliveryTrigger } from '../delivery/delivery.entity';
import { EventLoopShare } from '../common/event-loop-share';
import { newId } from '../common/ids';
import { matchesEventType } from '../webhook/event-type-pattern';
import { matchesFilter } from '../webhook/filter';
import type { WebhookEntity } from '../webhook/webhook.entity';
import type { EventEntity } from './event.entity';

/**
 * The deliveries an event needs: one PENDING delivery per enabled webhook whose
 * type patterns match and whose filter accepts the data. Writes nothing: the caller
 * stores them in the same transaction as the event. Filters run on data anyone may send
 * (through an open listener), so between two of them the event loop gets a turn
 * whenever `share` says so.
 */
export async function fanOut(
  event: EventEntity,
  webhooks: readonly WebhookEntity[],
  now: Date,
  share = new EventLoopShare(),
  trigger: DeliveryTrigger = 'AUTOMATIC',
): Promise<DeliveryEntity[]> {
  const deliveries: DeliveryEntity[] = [];
  for (const webhook of webhooks) {
    if (!(await accepts(webhook, event, share))) continue;
    deliveries.push({
      id: newId('delivery'),
      tenantId: event.tenantId,
      eventId: event.id,
      webhookId: webhook.id,
      destinationId: webhook.destinationId,
      eventType: event.type,
      status: 'PENDING',
      trigger,
      attemptCount: 0,
      dueAt: now,
      leaseOwner: null,
      orderingKey: event.orderingKey,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      version: 0,
    });
  }
  return deliveries;
}

/** Whether an enabled webhook wants the event: its type patterns match and its filter accepts the data. */
export async function accepts(webhook: WebhookEntity, event: EventEntity, share: EventLoopShare): Promise<boolean> {
  if (!webhook.enabled || !matchesEventType(webhook.eventTypes, event.type)) return false;
  if (!webhook.filter) return true;
  if (share.due) await share.rest();
  return matchesFilter(webhook.filter, event.data);
}
