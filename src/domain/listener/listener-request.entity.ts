import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Header } from '../destination/destination.entity';
import { epochMs } from '../common/time';

/** One request a listener received while capture was on (headers redacted). */
@Entity({ name: 'listener_requests' })
export class ListenerRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  @Column({ name: 'listener_id', type: 'varchar', length: 32 }) listenerId!: string;
  @Column({ type: 'varchar', length: 8 }) method!: string;
  @Column({ name: 'content_type', type: 'varchar', length: 200, nullable: true }) contentType!: string | null;
  @Column({ type: 'simple-json' }) headers!: Header[];
  @Column({ type: 'text', nullable: true }) body!: string | null;
  @Column({ type: 'boolean' }) verified!: boolean;
  @Column({ type: 'varchar', length: 500, nullable: true }) error!: string | null;
  @Column({ name: 'response_status_code', type: 'int' }) responseStatusCode!: number;
  @Column({ name: 'event_id', type: 'varchar', length: 32, nullable: true }) eventId!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
}
