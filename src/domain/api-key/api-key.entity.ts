import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time';

export type Role = 'ADMIN' | 'PUBLISHER' | 'VIEWER';
export const ROLES: readonly Role[] = ['ADMIN', 'PUBLISHER', 'VIEWER'];

/** A credential. Only the SHA-256 of the key is stored; the key is shown once. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 10 }) role!: Role;
  @Column({ name: 'key_hash', type: 'varchar', length: 64 }) keyHash!: string;
  @Column({ name: 'key_hint', type: 'varchar', length: 16 }) keyHint!: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs }) revokedAt!: Date | null;
  /** A key of one tenant sees and changes only that tenant's resources; null: a key of the whole installation. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 32, nullable: true }) tenantId!: string | null;
}
