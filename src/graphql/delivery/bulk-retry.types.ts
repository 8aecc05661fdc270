import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { DeliveryStatus as DeliveryStatusValue } from '../../domain/delivery/delivery.entity';
import { UserErrorType } from '../common/user-error.type';
import { BulkJobType } from '../job/bulk-job.type';
import { DeliveryStatus } from './delivery.enums';

@InputType('DeliveryRetryFilter', { description: 'Which FAILED or CANCELLED deliveries a bulk retry queues again.' })
export class DeliveryRetryFilterInput {
  @Field(() => String, { nullable: true, description: "Only this tenant's deliveries (its uid). A tenant's key retries only its own." }) tenant?: string | null;
  @Field(() => [DeliveryStatus], { nullable: true, description: 'FAILED and/or CANCELLED (both when omitted).' })
  status?: DeliveryStatusValue[] | null;

  @Field(() => ID, { nullable: true }) webhookId?: string | null;
  @Field(() => ID, { nullable: true }) destinationId?: string | null;
  @Field(() => [String], { nullable: true }) eventType?: string[] | null;
  @Field(() => ID, { nullable: true }) eventId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Deliveries created at or after this time.' }) createdAfter?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Deliveries created before this time.' }) createdBefore?: Date | null;
}

@ObjectType('BulkRetry', { description: 'A bulk retry job: its deliveries are queued again in batches, in the background.' })
export class BulkRetryType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Deliveries that matched when the job started.' }) total!: number;
  @Field(() => Int, { description: 'Queued again so far; one that changed state meanwhile is skipped.' }) requeued!: number;
  @Field() finished!: boolean;
  @Field(() => String, { nullable: true, description: 'Why the job stopped early; what it queued stays queued.' }) error!: string | null;
}

@ObjectType('DeliveriesRetryPayload')
export class DeliveriesRetryPayload {
  @Field(() => Int, { nullable: true, description: 'FAILED or CANCELLED deliveries the filter selects now.' }) matched?: number;
  @Field(() => BulkRetryType, { nullable: true, description: 'The job; null for a dry run.' }) bulkRetry?: BulkRetryType | null;
  @Field(() => BulkJobType, {
    nullable: true,
    description: 'The same job as a durable bulk job (bulkJob, bulkJobCancel, bulkJobProgress); null for a dry run.',
  })
  job?: BulkJobType | null;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
