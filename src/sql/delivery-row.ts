import type { DeliveryEntity, DeliveryStatus, DeliveryTrigger } from '../domain/delivery/delivery.entity';
import type { Dialect } from './dialect';

/** The columns the queue statements read, and how a raw row becomes an entity (no ORM on the hot path). */
const DELIVERY_COLUMNS =
  'id, tenant_id, event_id, webhook_id, destination_id, event_type, status, "trigger", attempt_count, due_at, lease_owner, ordering_key, last_status_code, last_error, created_at, updated_at, completed_at, round_base, version';
/** The list as each dialect quotes it, built once. */
const columnLists = new Map<Dialect, string>();

export function deliveryColumns(dialect: Dialect): string {
  let list = columnLists.get(dialect);
  if (list === undefined) columnLists.set(dialect, (list = DELIVERY_COLUMNS.replace('"trigger"', dialect.quote('trigger'))));
  return list;
}

export interface DeliveryRow {
  id: string;
  tenant_id: string;
  event_id: string;
  webhook_id: string;
  destination_id: string;
  event_type: string;
  status: DeliveryStatus;
  trigger: DeliveryTrigger;
  attempt_count: number;
  due_at: number | string | null;
  lease_owner: string | null;
  ordering_key: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number | string;
  updated_at: number | string;
  completed_at: number | string | null;
  round_base: number;
  version: number;
}

export function toDelivery(row: DeliveryRow): DeliveryEntity {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    eventId: row.event_id,
    webhookId: row.webhook_id,
    destinationId: row.destination_id,
    eventType: row.event_type,
    status: row.status,
    trigger: row.trigger,
    attemptCount: Number(row.attempt_count),
    dueAt: toDate(row.due_at),
    leaseOwner: row.lease_owner,
    orderingKey: row.ordering_key,
    lastStatusCode: row.last_status_code == null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    createdAt: toDate(row.created_at)!,
    updatedAt: toDate(row.updated_at)!,
    completedAt: toDate(row.completed_at),
    version: Number(row.version),
  };
}

function toDate(value: number | string | null): Date | null {
  return value == null ? null : new Date(Number(value));
}

export function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}
