import { Field, ID, ObjectType } from 'type-graphql';
import type { SyncMode as SyncModeValue } from '../../domain/event/event.entity';
import { Node } from '../common/relay';
import { JSON } from '../common/scalars';
import type { PayloadFormat as PayloadFormatValue } from '../../domain/webhook/payload-format';
import { SyncMode } from '../event/event.enums';
import { PayloadFormat } from './webhook.enums';

@ObjectType('FieldMapping', { description: 'Copy the value at `from` in the event data to `to` in the payload.' })
export class FieldMappingType {
  @Field() from!: string;
  @Field() to!: string;
}

@ObjectType('Webhook', { implements: Node, description: 'A subscription of a destination to event types.' })
export class WebhookType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID, { description: 'The tenant it belongs to (its uid and name: `tenant`).' }) tenantId!: string;
  @Field() name!: string;
  @Field(() => ID) destinationId!: string;
  @Field(() => [String], { description: 'Exact types, prefixes like order.*, or *.' }) eventTypes!: string[];
  @Field(() => JSON, { nullable: true }) filter!: unknown;
  @Field() includeEntity!: boolean;
  @Field(() => [FieldMappingType]) fieldMapping!: FieldMappingType[];
  @Field(() => SyncMode, { nullable: true }) syncMode!: SyncModeValue | null;
  @Field(() => PayloadFormat) payloadFormat!: PayloadFormatValue;
  @Field() enabled!: boolean;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}
