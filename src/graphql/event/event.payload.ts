import { Field, ObjectType } from 'type-graphql';
import { UserErrorType } from '../common/user-error.type';
import { DeliveryType } from '../delivery/delivery.type';
import { SyncRunType } from '../sync-run/sync-run.type';
import { EventType } from './event.type';

@ObjectType('EventPublishPayload')
export class EventPublishPayload {
  @Field(() => EventType, { nullable: true }) event?: EventType;
  @Field(() => [DeliveryType], { nullable: true }) deliveries?: DeliveryType[];
  @Field(() => Boolean, { nullable: true, description: 'True when an earlier publish with this idempotency key was returned.' })
  replayed?: boolean;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('EventPublishBatchResult', { description: 'What became of one entry of a batch, in the order sent.' })
export class EventPublishBatchResult {
  @Field(() => EventType, { nullable: true }) event?: EventType | null;
  @Field(() => Boolean, { description: 'True when an earlier publish with this idempotency key was returned.' })
  replayed!: boolean;
  @Field(() => [UserErrorType], { description: 'Why this entry was refused; empty when it was published.' })
  userErrors!: UserErrorType[];
}

@ObjectType('EventPublishBatchPayload')
export class EventPublishBatchPayload {
  @Field(() => [EventType], { nullable: true, description: 'The events published or replayed, in the order sent.' }) events?: EventType[];
  @Field(() => [EventPublishBatchResult], { nullable: true, description: 'One per row or entry, in the order sent.' })
  results?: EventPublishBatchResult[];
  @Field(() => SyncRunType, { nullable: true, description: 'The run the rows were added to (with runId).' }) run?: SyncRunType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
