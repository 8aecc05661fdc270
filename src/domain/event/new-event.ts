import { newId } from '../common/ids';
import type { EventEntity } from './event.entity';

/** An API event with only a type and data set (test sends, dry runs): a fresh id, no keys. */
export function newEvent(type: string, data: unknown, tenantId: string, now = new Date()): EventEntity {
  return {
    id: newId('event'),
    tenantId,
    type,
    entityId: null,
    entityUrl: null,
    data,
    idempotencyKey: null,
    orderingKey: null,
    source: 'API',
    rowNumber: null,
    syncMode: null,
    occurredAt: now,
    createdAt: now,
    traceParent: null,
    syncOp: null,
    runId: null,
  };
}
