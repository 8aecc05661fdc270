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

@ObjectType('EventPublishBatchPayload')
export class EventPublishBatchPayload {
  @Field(() => [EventType], { nullable: true }) events?: EventType[];
  @Field(() => SyncRunType, { nullable: true, description: 'The run the rows were added to (with runId).' }) run?: SyncRunType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
