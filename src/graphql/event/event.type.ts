import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { EventSource as EventSourceValue, SyncMode as SyncModeValue, SyncOp } from '../../domain/event/event.entity';
import { Node } from '../common/relay';
import { JSON } from '../common/scalars';
import { LARGE_FIELD_COST } from '../limits/query-cost';
import { EventSource, SyncMode } from './event.enums';

@ObjectType('Event', { implements: Node, description: 'Something that happened. Immutable.' })
export class EventType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID, { description: 'The tenant it belongs to (its uid and name: `tenant`).' }) tenantId!: string;
  @Field() type!: string;
  @Field(() => String, { nullable: true }) entityId!: string | null;
  @Field(() => String, { nullable: true }) entityUrl!: string | null;
  @Field(() => JSON, { complexity: LARGE_FIELD_COST }) data!: unknown;
  @Field(() => String, { nullable: true }) idempotencyKey!: string | null;
  @Field(() => String, { nullable: true }) orderingKey!: string | null;
  @Field(() => EventSource) source!: EventSourceValue;
  @Field(() => Int, { nullable: true, description: '1-based row of a batch publish.' }) rowNumber!: number | null;
  @Field(() => SyncMode, { nullable: true }) syncMode!: SyncModeValue | null;
  @Field(() => String, { nullable: true, description: 'The row’s own operation when not its mode’s: `delete` for the rows a MIRROR run removes.' })
  syncOp!: SyncOp | null;
  @Field(() => ID, { nullable: true, description: 'The sync run it is a row of.' }) runId!: string | null;
  @Field() occurredAt!: Date;
  @Field() createdAt!: Date;
  @Field(() => String, { nullable: true, description: 'The W3C traceparent its deliveries continue (when the publish carried one, or tracing is on).' })
  traceParent!: string | null;
}
