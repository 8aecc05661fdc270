import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time';

/**
 * A dedupe key a listener has seen, with the answer it gave: a repeat within the window is
 * given the same answer. `statusCode` 0 marks a request still being handled.
 */
@Entity({ name: 'listener_dedupe' })
export class ListenerDedupeEntity {
  @PrimaryColumn({ name: 'listener_id', type: 'varchar', length: 32 }) listenerId!: string;
  /** SHA-256 of the key: keys are the sender's, of any length. */
  @PrimaryColumn({ name: 'key_hash', type: 'varchar', length: 64 }) keyHash!: string;
  @Column({ name: 'status_code', type: 'int' }) statusCode!: number;
  @Column({ name: 'content_type', type: 'varchar', length: 200, nullable: true }) contentType!: string | null;
  @Column({ type: 'text', nullable: true }) body!: string | null;
  @Column({ name: 'event_ids', type: 'simple-json' }) eventIds!: string[];
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
}
