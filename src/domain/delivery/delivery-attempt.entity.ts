import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Header } from '../destination/destination.entity';
import { epochMs } from '../common/time';
import { headerLines } from './header-lines';

export type AttemptOutcome = 'SUCCESS' | 'HTTP_ERROR' | 'TIMEOUT' | 'CONNECTION_ERROR' | 'BLOCKED_ADDRESS' | 'INVALID_RESPONSE' | 'INVALID_REQUEST';

/** One HTTP exchange of a delivery, as it happened (request headers redacted). */
@Entity({ name: 'delivery_attempts' })
export class DeliveryAttemptEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  @Column({ name: 'delivery_id', type: 'varchar', length: 32 }) deliveryId!: string;
  @Column({ name: 'attempt_number', type: 'int' }) attemptNumber!: number;
  @Column({ name: 'request_method', type: 'varchar', length: 8 }) requestMethod!: string;
  @Column({ name: 'request_url', type: 'text' }) requestUrl!: string;
  @Column({ name: 'request_headers', type: 'text', transformer: headerLines }) requestHeaders!: Header[];
  /** Null for GET; read from the database, also null until rebuilt when its recipe is set (attempt-bodies.ts). */
  @Column({ name: 'request_body', type: 'text', nullable: true }) requestBody!: string | null;
  /** How the body is rebuilt from the event when it is not stored (body-recipe.ts). */
  @Column({ name: 'request_body_recipe', type: 'varchar', length: 100, nullable: true }) requestBodyRecipe!: string | null;
  @Column({ name: 'response_status_code', type: 'int', nullable: true }) responseStatusCode!: number | null;
  @Column({ name: 'response_headers', type: 'text', nullable: true, transformer: headerLines }) responseHeaders!: Header[] | null;
  @Column({ name: 'response_body', type: 'text', nullable: true }) responseBody!: string | null;
  @Column({ name: 'response_truncated', type: 'boolean' }) responseTruncated!: boolean;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs!: number;
  @Column({ type: 'varchar', length: 20 }) outcome!: AttemptOutcome;
  @Column({ type: 'varchar', length: 1000, nullable: true }) error!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
}
