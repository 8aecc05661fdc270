import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time';

export type BulkJobKind = 'RETRY' | 'RECOVER' | 'REPLAY';
export type BulkJobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export const FINISHED_JOB_STATUSES: readonly BulkJobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * A bulk operation that outlives its process. Its work is a list ordered by one key
 * (a delivery or event id); `cursor` is the last key done, written in the same
 * transaction as that batch's work, so a job resumed anywhere continues after it and
 * never does an item twice. While RUNNING it is leased (`leaseOwner` until
 * `leaseExpiresAt`): a runner whose process died loses it when the lease expires.
 */
@Entity({ name: 'bulk_jobs' })
export class BulkJobEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  /** The tenant whose objects it changes; null: any tenant's (a key of the whole installation). */
  @Column({ name: 'tenant_id', type: 'varchar', length: 32, nullable: true }) tenantId!: string | null;
  @Column({ type: 'varchar', length: 16 }) kind!: BulkJobKind;
  /** What it works on, per kind (job-params.ts). */
  @Column({ type: 'simple-json' }) params!: object;
  @Column({ type: 'varchar', length: 16 }) status!: BulkJobStatus;
  /** Items that matched when it was started. */
  @Column({ type: 'int' }) total!: number;
  /** Items processed so far. */
  @Column({ type: 'int' }) done!: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) cursor!: string | null;
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner!: string | null;
  @Column({ name: 'lease_expires_at', type: 'bigint', nullable: true, transformer: epochMs }) leaseExpiresAt!: Date | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) error!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: Date;
}
