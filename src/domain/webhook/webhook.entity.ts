import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../common/time';
import type { SyncMode } from '../event/event.entity';
import type { Filter } from './filter';
import type { PayloadFormat } from './payload-format';

export interface FieldMapping {
  from: string;
  to: string;
}

@Entity({ name: 'webhooks' })
export class WebhookEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  /** Its owner: always its destination's tenant (WebhookService.create checks it). */
  @Column({ name: 'tenant_id', type: 'varchar', length: 32 }) tenantId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'destination_id', type: 'varchar', length: 32 }) destinationId!: string;
  @Column({ name: 'event_types', type: 'simple-json' }) eventTypes!: string[];
  @Column({ type: 'simple-json', nullable: true }) filter!: Filter | null;
  @Column({ name: 'include_entity', type: 'boolean' }) includeEntity!: boolean;
  @Column({ name: 'field_mapping', type: 'simple-json' }) fieldMapping!: FieldMapping[];
  @Column({ name: 'sync_mode', type: 'varchar', length: 10, nullable: true }) syncMode!: SyncMode | null;
  @Column({ name: 'payload_format', type: 'varchar', length: 16 }) payloadFormat!: PayloadFormat;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: Date;
  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: epochMs }) deletedAt!: Date | null;
}
