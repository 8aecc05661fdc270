import { Field, ID, InputType } from 'type-graphql';
import type { DeliveryStatus as DeliveryStatusValue } from '../../domain/delivery/delivery.entity';
import { DeliveryStatus } from './delivery.enums';

@InputType('DeliveryFilter')
export class DeliveryFilterInput {
  @Field(() => String, { nullable: true, description: "Only this tenant's deliveries (its uid)." }) tenant?: string | null;
  @Field(() => [DeliveryStatus], { nullable: true }) status?: DeliveryStatusValue[] | null;
  @Field(() => ID, { nullable: true }) webhookId?: string | null;
  @Field(() => ID, { nullable: true }) destinationId?: string | null;
  @Field(() => [String], { nullable: true }) eventType?: string[] | null;
  @Field(() => ID, { nullable: true }) eventId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The rows of this sync run (the deliveries query; subscriptions refuse it).' }) runId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Deliveries created at or after this time.' }) createdAfter?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Deliveries created before this time.' }) createdBefore?: Date | null;
}
