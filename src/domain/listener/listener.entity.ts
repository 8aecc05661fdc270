import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Encoding, HmacAlgorithm } from '../destination/destination.entity';
import { epochMs } from '../common/time';
import type { DedupeSource } from './dedupe-key';
import type { Provider } from './providers';

export type VerificationType = 'NONE' | 'BASIC' | 'HMAC' | 'TOKEN' | 'SECRET_URL' | 'PRESET';

/** How a listener checks that a request comes from its sender. The secret is sealed. */
export interface Verification {
  type: VerificationType;
  /** PRESET: whose scheme (providers.ts). Absent in listeners stored before presets. */
  provider?: Provider | null;
  username: string | null;
  algorithm: HmacAlgorithm | null;
  encoding: Encoding | null;
  header: string | null;
  prefix: string | null;
  tokenPath: string | null;
  tokenHeader: string | null;
  secretSealed: string | null;
  secretHint: string | null;
}

export interface ListenerRateLimit {
  capacity: number;
  refillPerSecond: number;
}

export interface ListenerResponse {
  statusCode: number;
  mediaType: string | null;
  bodyTemplate: string | null;
}

/**
 * An inbound endpoint `/in/<token>` that turns verified third-party requests into events.
 * The token is stored as a hash; in clear only where it is no secret (not SECRET_URL).
 */
@Entity({ name: 'listeners' })
export class ListenerEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  /** The tenant it belongs to (TenantEntity). */
  @Column({ name: 'tenant_id', type: 'varchar', length: 32 }) tenantId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  /** The URL token's hash (listener-token.ts): requests find their listener by it. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 }) tokenHash!: string;
  /**
   * What `url` shows after `/in/`: the token itself, or for a URL made as a secret
   * (SECRET_URL) only its hint, as for any secret shown once.
   */
  @Column({ name: 'url_token', type: 'varchar', length: 64 }) urlToken!: string;
  @Column({ name: 'event_type', type: 'varchar', length: 200, nullable: true }) eventType!: string | null;
  @Column({ name: 'event_type_path', type: 'varchar', length: 200, nullable: true }) eventTypePath!: string | null;
  /** The event type from this header (a provider preset reads its own). */
  @Column({ name: 'event_type_header', type: 'varchar', length: 100, nullable: true }) eventTypeHeader!: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) description!: string | null;
  /** Where a request's dedupe key is; null: the preset's, or none. */
  @Column({ type: 'simple-json', nullable: true }) dedupe!: DedupeSource | null;
  /** The path of an array in the body: one event per record. */
  @Column({ name: 'resource_path', type: 'varchar', length: 200, nullable: true }) resourcePath!: string | null;
  @Column({ type: 'simple-json' }) verification!: Verification;
  @Column({ name: 'rate_limit', type: 'simple-json' }) rateLimit!: ListenerRateLimit;
  @Column({ type: 'simple-json' }) response!: ListenerResponse;
  @Column({ name: 'capture_until', type: 'bigint', nullable: true, transformer: epochMs }) captureUntil!: Date | null;
  @Column({ name: 'sample_data', type: 'simple-json', nullable: true }) sampleData!: unknown;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: Date;
  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: epochMs }) deletedAt!: Date | null;
}
