import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { EventEntity } from '../domain/event/event.entity';
import type { Dialect } from './dialect';
import type { Statement } from './queue-transaction';

/**
 * The outbox rows of publishes: their events and deliveries, as INSERTs in the shape
 * each database writes fastest (Dialect.insertRows), to be written in one transaction.
 */
export function insertOutbox(dialect: Dialect, events: EventEntity[], deliveries: DeliveryEntity[]): Statement[] {
  return [
    ...(events.length ? dialect.insertRows('events', EVENT_COLUMNS, events.map(eventRow)) : []),
    ...(deliveries.length ? dialect.insertRows('deliveries', DELIVERY_COLUMNS, deliveries.map(deliveryRow)) : []),
  ];
}

const EVENT_COLUMNS = [
  'id',
  'tenant_id',
  'type',
  'entity_id',
  'entity_url',
  'data',
  'idempotency_key',
  'ordering_key',
  'source',
  'row_number',
  'sync_mode',
  'occurred_at',
  'created_at',
  'trace_parent',
  'sync_op',
  'run_id',
];
const DELIVERY_COLUMNS = [
  'id',
  'tenant_id',
  'event_id',
  'webhook_id',
  'destination_id',
  'event_type',
  'status',
  'trigger',
  'attempt_count',
  'due_at',
  'lease_owner',
  'ordering_key',
  'last_status_code',
  'last_error',
  'created_at',
  'updated_at',
  'completed_at',
  'due_before_lease',
];

function eventRow(e: EventEntity): unknown[] {
  return [
    e.id,
    e.tenantId,
    e.type,
    e.entityId,
    e.entityUrl,
    JSON.stringify(e.data),
    e.idempotencyKey,
    e.orderingKey,
    e.source,
    e.rowNumber,
    e.syncMode,
    e.occurredAt.getTime(),
    e.createdAt.getTime(),
    e.traceParent,
    e.syncOp,
    e.runId,
  ];
}

function deliveryRow(d: DeliveryEntity): unknown[] {
  return [
    d.id,
    d.tenantId,
    d.eventId,
    d.webhookId,
    d.destinationId,
    d.eventType,
    d.status,
    d.trigger,
    d.attemptCount,
    d.dueAt?.getTime() ?? null,
    d.leaseOwner,
    d.orderingKey,
    d.lastStatusCode,
    d.lastError,
    d.createdAt.getTime(),
    d.updatedAt.getTime(),
    d.completedAt?.getTime() ?? null,
    // Handed off at publish, already leased: its place in the queue is its publish time.
    d.leaseOwner ? d.createdAt.getTime() : null,
  ];
}
