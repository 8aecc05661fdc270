import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SyncMode } from '../event/event.entity';
import { epochMs } from '../common/time';

/**
 * RUNNING takes rows; COMPLETING is a MIRROR run publishing its delete rows; COMPLETED
 * takes no more rows and waits for its deliveries; FINISHED: every delivery is final and
 * `sync.run.completed` was published.
 */
export type SyncRunStatus = 'RUNNING' | 'COMPLETING' | 'COMPLETED' | 'FINISHED';
/** SUCCEEDED: every delivery succeeded (or there were none); FAILED: none did; PARTIAL: some did. */
export type SyncRunOutcome = 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

/** One run of a data sync's stream: its rows are events (events.run_id). */
@Entity({ name: 'sync_runs' })
export class SyncRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  @Column({ name: 'tenant_id', type: 'varchar', length: 32 }) tenantId!: string;
  /** The data stream (e.g. `customers`); its rows' event type unless a batch names another. */
  @Column({ type: 'varchar', length: 200 }) stream!: string;
  @Column({ type: 'varchar', length: 10 }) mode!: SyncMode;
  @Column({ name: 'entity_id_field', type: 'varchar', length: 200 }) entityIdField!: string;
  @Column({ type: 'varchar', length: 12 }) status!: SyncRunStatus;
  /** Rows published so far, its delete rows included; also the last row number given. */
  @Column({ name: 'row_count', type: 'int' }) rowCount!: number;
  /** Of them, a MIRROR run's delete rows. */
  @Column({ name: 'delete_count', type: 'int' }) deleteCount!: number;
  /** Deliveries that succeeded and that failed or were cancelled: kept when the run finishes. */
  @Column({ type: 'int' }) delivered!: number;
  @Column({ type: 'int' }) failed!: number;
  @Column({ type: 'varchar', length: 10, nullable: true }) outcome!: SyncRunOutcome | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'completed_at', type: 'bigint', nullable: true, transformer: epochMs }) completedAt!: Date | null;
  @Column({ name: 'finished_at', type: 'bigint', nullable: true, transformer: epochMs }) finishedAt!: Date | null;
}
