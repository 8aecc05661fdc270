import type { Database } from '../database/database';
import type { EventEntity } from '../domain/event/event.entity';
import { placeholders } from './delivery-row';
import type { Statement } from './queue-transaction';

export interface EventRow {
  id: string;
  tenant_id: string;
  type: string;
  entity_id: string | null;
  entity_url: string | null;
  data: string;
  idempotency_key: string | null;
  ordering_key: string | null;
  source: EventEntity['source'];
  row_number: number | null;
  sync_mode: EventEntity['syncMode'];
  occurred_at: number | string;
  created_at: number | string;
  trace_parent: string | null;
  sync_op: EventEntity['syncOp'];
  run_id: string | null;
}

/** Events by id for a claimed batch, read without the ORM (one per batch, on the hot path). */
export async function loadEvents(db: Database, ids: string[]): Promise<EventEntity[]> {
  return (await db.read<EventRow>(eventsStatement(ids))).map(toEvent);
}

export function eventsStatement(ids: string[]): Statement {
  return { sql: `SELECT * FROM events WHERE id IN (${placeholders(ids.length)})`, params: ids };
}

export function toEvent(row: EventRow): EventEntity {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    entityId: row.entity_id,
    entityUrl: row.entity_url,
    data: JSON.parse(row.data) as unknown,
    idempotencyKey: row.idempotency_key,
    orderingKey: row.ordering_key,
    source: row.source,
    rowNumber: row.row_number == null ? null : Number(row.row_number),
    syncMode: row.sync_mode,
    occurredAt: new Date(Number(row.occurred_at)),
    createdAt: new Date(Number(row.created_at)),
    traceParent: row.trace_parent,
    syncOp: row.sync_op,
    runId: row.run_id,
  };
}
