import { Field, ID, InputType } from 'type-graphql';
import type { SyncMode as SyncModeValue } from '../../domain/event/event.entity';
import { JSON } from '../common/scalars';
import type { PayloadFormat as PayloadFormatValue } from '../../domain/webhook/payload-format';
import { SyncMode } from '../event/event.enums';
import { PayloadFormat } from './webhook.enums';

@InputType('FieldMappingInput')
export class FieldMappingInput {
  @Field() from!: string;
  @Field() to!: string;
}

@InputType('WebhookCreateInput')
export class WebhookCreateInput {
  @Field(() => String, { nullable: true, description: 'The uid of its tenant: that of its destination, which is the default when absent.' }) tenant?:
    string | null;
  @Field() name!: string;
  @Field(() => ID) destinationId!: string;
  @Field(() => [String]) eventTypes!: string[];
  @Field(() => JSON, { nullable: true, description: 'JSON predicate: $eq $neq $gt $gte $lt $lte $in $nin $exists $regex $and $or.' })
  filter?: unknown;
  @Field(() => Boolean, { nullable: true, description: 'Default true: the event data goes in the payload.' })
  includeEntity?: boolean | null;
  @Field(() => [FieldMappingInput], { nullable: true }) fieldMapping?: FieldMappingInput[] | null;
  @Field(() => SyncMode, { nullable: true }) syncMode?: SyncModeValue | null;
  @Field(() => PayloadFormat, { nullable: true, description: 'Default HOOKGRAPH.' }) payloadFormat?: PayloadFormatValue | null;
  @Field(() => Boolean, { nullable: true, description: 'Default true.' }) enabled?: boolean | null;
}

@InputType('WebhookUpdateInput', { description: 'Only the fields given change; filter: null removes the filter.' })
export class WebhookUpdateInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => ID, { nullable: true }) destinationId?: string | null;
  @Field(() => [String], { nullable: true }) eventTypes?: string[] | null;
  @Field(() => JSON, { nullable: true }) filter?: unknown;
  @Field(() => Boolean, { nullable: true }) includeEntity?: boolean | null;
  @Field(() => [FieldMappingInput], { nullable: true }) fieldMapping?: FieldMappingInput[] | null;
  @Field(() => SyncMode, { nullable: true }) syncMode?: SyncModeValue | null;
  @Field(() => PayloadFormat, { nullable: true }) payloadFormat?: PayloadFormatValue | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
}
