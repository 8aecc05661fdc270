import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';
import { epochMs } from '../common/time';

export type DeliveryStatus = 'PENDING' | 'IN_FLIGHT' | 'RETRY_SCHEDULED' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
/** Why the delivery's current round of attempts began (RESEND: sent again by an operator after it finished; REPLAY: made by a replay job). */
export type DeliveryTrigger = 'AUTOMATIC' | 'MANUAL_RETRY' | 'TEST' | 'RESEND' | 'REPLAY';

export const TERMINAL_STATUSES: readonly DeliveryStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * One event for one webhook. `dueAt` is the queue's single clock: the next attempt time
 * for PENDING / RETRY_SCHEDULED, the lease expiry for IN_FLIGHT (so an expired lease is
 * simply due again), and NULL once the delivery is terminal.
 */
@Entity({ name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  /** The tenant it belongs to (TenantEntity). */
  @Column({ name: 'tenant_id', type: 'varchar', length: 32 }) tenantId!: string;
  @Column({ name: 'event_id', type: 'varchar', length: 32 }) eventId!: string;
  @Column({ name: 'webhook_id', type: 'varchar', length: 32 }) webhookId!: string;
  @Column({ name: 'destination_id', type: 'varchar', length: 32 }) destinationId!: string;
  @Column({ name: 'event_type', type: 'varchar', length: 200 }) eventType!: string;
  @Column({ type: 'varchar', length: 16 }) status!: DeliveryStatus;
  @Column({ type: 'varchar', length: 16 }) trigger!: DeliveryTrigger;
  @Column({ name: 'attempt_count', type: 'int' }) attemptCount!: number;
  @Column({ name: 'due_at', type: 'bigint', nullable: true, transformer: epochMs }) dueAt!: Date | null;
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner!: string | null;
  @Column({ name: 'ordering_key', type: 'varchar', length: 200, nullable: true }) orderingKey!: string | null;
  @Column({ name: 'last_status_code', type: 'int', nullable: true }) lastStatusCode!: number | null;
  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true }) lastError!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: Date;
  @Column({ name: 'completed_at', type: 'bigint', nullable: true, transformer: epochMs }) completedAt!: Date | null;
  /**
   * How many times the row has changed since its insert: every UPDATE adds one (the ORM's
   * through @VersionColumn, the queue's SQL by hand). Announced changes carry it, so that
   * subscribers can tell the later of two changes whichever processes made them.
   */
  @VersionColumn({ default: 0 }) version!: number;
}
