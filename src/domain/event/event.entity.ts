import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time';

export type EventSource = 'API' | 'LISTENER' | 'SYSTEM';
export type SyncMode = 'UPSERT' | 'MIRROR' | 'APPEND' | 'CREATE' | 'DELETE';
/** What a receiver does with a row, lower-case on the wire. */
export type SyncOp = 'upsert' | 'mirror' | 'append' | 'create' | 'delete';

/** A row's operation: its own, else its sync mode's. */
export function syncOpOf(event: Pick<EventEntity, 'syncOp'>, syncMode: SyncMode | null): SyncOp | null {
  return event.syncOp ?? (syncMode ? (syncMode.toLowerCase() as SyncOp) : null);
}

/** Something that happened. Immutable once stored. */
@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  /** The tenant it belongs to (TenantEntity). */
  @Column({ name: 'tenant_id', type: 'varchar', length: 32 }) tenantId!: string;
  @Column({ type: 'varchar', length: 200 }) type!: string;
  @Column({ name: 'entity_id', type: 'varchar', length: 200, nullable: true }) entityId!: string | null;
  @Column({ name: 'entity_url', type: 'varchar', length: 2048, nullable: true }) entityUrl!: string | null;
  @Column({ type: 'simple-json' }) data!: unknown;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true }) idempotencyKey!: string | null;
  @Column({ name: 'ordering_key', type: 'varchar', length: 200, nullable: true }) orderingKey!: string | null;
  @Column({ type: 'varchar', length: 10 }) source!: EventSource;
  @Column({ name: 'row_number', type: 'int', nullable: true }) rowNumber!: number | null;
  @Column({ name: 'sync_mode', type: 'varchar', length: 10, nullable: true }) syncMode!: SyncMode | null;
  /** The row's operation when it is not its mode's (a MIRROR run's `delete` rows); null: the mode's, lower-case. */
  @Column({ name: 'sync_op', type: 'varchar', length: 10, nullable: true }) syncOp!: SyncOp | null;
  /** The sync run it is a row of (sync-run.entity.ts). */
  @Column({ name: 'run_id', type: 'varchar', length: 32, nullable: true }) runId!: string | null;
  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMs }) occurredAt!: Date;
  /** The W3C traceparent of the publish's span (set when the publish carried one, or tracing is on): each attempt continues its trace. */
  @Column({ name: 'trace_parent', type: 'varchar', length: 55, nullable: true }) traceParent!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
}
