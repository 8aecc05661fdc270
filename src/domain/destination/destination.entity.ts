import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time';

export type HttpMethod = 'POST' | 'PUT' | 'GET';
export type BodyFormat = 'JSON' | 'FORM_URLENCODED';
export type AuthType = 'NONE' | 'BASIC' | 'BEARER';
export type DestinationStatus = 'ACTIVE' | 'PAUSED' | 'DISABLED';
export type HmacAlgorithm = 'SHA1' | 'SHA256' | 'SHA384' | 'SHA512';
export type Encoding = 'HEX' | 'BASE64';
export type RetryStrategy = 'SCHEDULE' | 'EXPONENTIAL';

export interface Header {
  name: string;
  value: string;
}

/**
 * A custom header as stored: the value sealed with SecretBox (custom headers often carry
 * credentials, e.g. X-Api-Key) and a hint of it for those who may not read it.
 */
export interface SealedHeader {
  name: string;
  valueSealed: string;
  valueHint: string;
}

export interface CustomHmac {
  algorithm: HmacAlgorithm;
  encoding: Encoding;
  header: string;
  prefix: string;
  /** Sealed with SecretBox; absent means "sign with the destination's signing secret". */
  secretSealed: string | null;
  secretHint: string | null;
}

/** Retry policy as plain data; the pure schedule function lives with the dispatcher. */
export interface RetryPolicy {
  strategy: RetryStrategy;
  /** Delays before each retry (after attempt 1, 2, …), for SCHEDULE. */
  scheduleSeconds: number[];
  initialIntervalMs: number;
  multiplier: number;
  maxIntervalMs: number;
  maxAttempts: number;
  /** Retry 4xx answers (other than 408/429/410) instead of failing at once. */
  retryOn4xx: boolean;
}

export interface RateLimit {
  perSecond: number | null;
  burst: number | null;
  maxConcurrency: number | null;
}

@Entity({ name: 'destinations' })
export class DestinationEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  /** The tenant it belongs to (TenantEntity). */
  @Column({ name: 'tenant_id', type: 'varchar', length: 32 }) tenantId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 2048 }) url!: string;
  @Column({ type: 'varchar', length: 8 }) method!: HttpMethod;
  @Column({ type: 'varchar', length: 20 }) format!: BodyFormat;
  @Column({ name: 'timeout_ms', type: 'int' }) timeoutMs!: number;
  @Column({ type: 'simple-json' }) headers!: SealedHeader[];
  @Column({ name: 'auth_type', type: 'varchar', length: 10 }) authType!: AuthType;
  @Column({ name: 'auth_username', type: 'varchar', length: 200, nullable: true }) authUsername!: string | null;
  /** The basic-auth password or the bearer token, sealed. */
  @Column({ name: 'auth_secret_sealed', type: 'text', nullable: true }) authSecretSealed!: string | null;
  @Column({ name: 'auth_secret_hint', type: 'varchar', length: 16, nullable: true }) authSecretHint!: string | null;
  @Column({ name: 'signing_secret_sealed', type: 'text' }) signingSecretSealed!: string;
  @Column({ name: 'signing_secret_hint', type: 'varchar', length: 16 }) signingSecretHint!: string;
  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true }) previousSecretSealed!: string | null;
  @Column({ name: 'previous_secret_expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  previousSecretExpiresAt!: Date | null;
  @Column({ name: 'custom_hmac', type: 'simple-json', nullable: true }) customHmac!: CustomHmac | null;
  @Column({ name: 'retry_policy', type: 'simple-json' }) retryPolicy!: RetryPolicy;
  @Column({ name: 'rate_limit', type: 'simple-json', nullable: true }) rateLimit!: RateLimit | null;
  @Column({ type: 'varchar', length: 10 }) status!: DestinationStatus;
  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true }) statusReason!: string | null;
  @Column({ name: 'status_changed_at', type: 'bigint', transformer: epochMs }) statusChangedAt!: Date;
  // The circuit breaker's state, written only by its own statements (destination-health.ts):
  // `update: false` keeps an operator's save from writing back what it read a moment before.
  /** Attempts in a row that found the endpoint down; a success resets it. */
  @Column({ name: 'failure_streak', type: 'int', default: 0, update: false }) failureStreak!: number;
  /** When the first of those attempts was made. */
  @Column({ name: 'failing_since', type: 'bigint', nullable: true, update: false, transformer: epochMs }) failingSince!: Date | null;
  /** The breaker holds the deliveries until then; the first attempts after it probe the endpoint. */
  @Column({ name: 'circuit_open_until', type: 'bigint', nullable: true, update: false, transformer: epochMs }) circuitOpenUntil!: Date | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: Date;
  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: epochMs }) deletedAt!: Date | null;
}
