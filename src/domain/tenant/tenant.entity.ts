import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time';

export type TenantStatus = 'ACTIVE' | 'DELETING';

/**
 * One of the caller's customers: the destinations, webhooks, listeners, events and
 * deliveries made for it belong to it alone. `uid` is the caller's own id for the
 * customer. An installation that never names a tenant uses DEFAULT_TENANT_ID.
 */
@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  @Column({ type: 'varchar', length: 128 }) uid!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'simple-json' }) metadata!: Record<string, unknown>;
  @Column({ type: 'varchar', length: 16 }) status!: TenantStatus;
  /** Portal tokens issued before this generation are refused (tenantRevokePortalAccess). */
  @Column({ name: 'portal_generation', type: 'int' }) portalGeneration!: number;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: Date;
}

/** The tenant of everything made without naming one, and of everything made before tenants existed. */
export const DEFAULT_TENANT_ID = 'tnt_00000000000000000000000000';
export const DEFAULT_TENANT_UID = 'default';
