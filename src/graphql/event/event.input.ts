import { Field, ID, InputType } from 'type-graphql';
import type { SyncMode as SyncModeValue } from '../../domain/event/event.entity';
import { JSON } from '../common/scalars';
import { SyncMode } from './event.enums';

@InputType('EventPublishInput')
export class EventPublishInput {
  @Field(() => String, {
    nullable: true,
    description: "The uid of the tenant it is published for: it reaches only that tenant's webhooks. The default tenant (or a tenant key's own) when absent.",
  })
  tenant?: string | null;
  @Field() type!: string;
  @Field(() => String, { nullable: true }) entityId?: string | null;
  @Field(() => String, { nullable: true }) entityUrl?: string | null;
  @Field(() => JSON, { nullable: true }) data?: unknown;
  @Field(() => String, {
    nullable: true,
    description:
      'A second publish with the same key and the same type, entityId, entityUrl, data and orderingKey returns the first event; with other values it is IDEMPOTENCY_CONFLICT.',
  })
  idempotencyKey?: string | null;
  @Field(() => String, { nullable: true }) orderingKey?: string | null;
  @Field(() => Date, { nullable: true }) occurredAt?: Date | null;
}

@InputType('EventPublishBatchInput', { description: 'Rows of a data sync; each becomes one event.' })
export class EventPublishBatchInput {
  @Field(() => String, {
    nullable: true,
    description: "The uid of the tenant the rows are published for; the default tenant (or a tenant key's own) when absent.",
  })
  tenant?: string | null;
  @Field(() => ID, { nullable: true, description: 'Adds the rows to this RUNNING sync run: type defaults to its stream, syncMode is its mode.' })
  runId?: string | null;
  @Field(() => String, { nullable: true, description: 'Required without runId.' }) type?: string | null;
  @Field(() => SyncMode, { nullable: true, description: 'Required without runId.' }) syncMode?: SyncModeValue | null;
  @Field(() => [JSON]) rows!: unknown[];
  @Field(() => String, { nullable: true, description: 'Dotted path of the entity id in each row; default "id".' })
  entityIdField?: string | null;
}
