import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { AttemptOutcome as AttemptOutcomeValue } from '../../domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity, DeliveryStatus as DeliveryStatusValue, DeliveryTrigger as DeliveryTriggerValue } from '../../domain/delivery/delivery.entity';
import { IN_LINE } from '../../domain/delivery/waiting';
import { Node } from '../common/relay';
import { HttpHeaderType } from '../destination/destination.type';
import { LARGE_FIELD_COST } from '../limits/query-cost';
import { AttemptOutcome, DeliveryStatus, DeliveryTrigger } from './delivery.enums';

@ObjectType('DeliveryAttempt', { implements: Node, description: 'One HTTP exchange; secrets in request headers are redacted.' })
export class DeliveryAttemptType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID) deliveryId!: string;
  @Field(() => Int) attemptNumber!: number;
  @Field() requestMethod!: string;
  @Field() requestUrl!: string;
  @Field(() => [HttpHeaderType]) requestHeaders!: HttpHeaderType[];
  /** Resolved by DeliveryAttemptResolver: a stored body may have to be rebuilt. */
  @Field(() => String, { nullable: true, complexity: LARGE_FIELD_COST }) requestBody!: string | null;
  @Field(() => Int, { nullable: true }) responseStatusCode!: number | null;
  @Field(() => [HttpHeaderType], { nullable: true }) responseHeaders!: HttpHeaderType[] | null;
  @Field(() => String, { nullable: true, complexity: LARGE_FIELD_COST }) responseBody!: string | null;
  @Field({ description: 'True when the response body was cut at 64 KiB.' }) responseTruncated!: boolean;
  @Field(() => Int) durationMs!: number;
  @Field(() => AttemptOutcome) outcome!: AttemptOutcomeValue;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field() createdAt!: Date;
}

@ObjectType('Delivery', { implements: Node, description: 'One event for one webhook.' })
export class DeliveryType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID, { description: 'The tenant it belongs to (its uid and name: `tenant`).' }) tenantId!: string;
  @Field(() => ID) eventId!: string;
  @Field(() => ID) webhookId!: string;
  @Field(() => ID) destinationId!: string;
  @Field() eventType!: string;
  @Field(() => DeliveryStatus) status!: DeliveryStatusValue;
  @Field(() => DeliveryTrigger) trigger!: DeliveryTriggerValue;
  @Field(() => Int) attemptCount!: number;
  @Field(() => Date, {
    nullable: true,
    description:
      "When the next attempt is due (PENDING, RETRY_SCHEDULED); null while the delivery waits in its destination's line for its rate limit or max concurrency to let it go.",
  })
  nextAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true }) lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => Date, { nullable: true }) completedAt!: Date | null;
  @Field(() => Int, {
    description:
      'How many times the delivery has changed since it was created (0 at creation). Of two reads of one delivery (a query, a deliveryUpdated message), the one with the higher version is the later; deliveryUpdated never sends a delivery with a version lower than one it already sent.',
  })
  version!: number;
}

export function toDeliveryType(d: DeliveryEntity): DeliveryType {
  const waiting = d.status === 'PENDING' || d.status === 'RETRY_SCHEDULED';
  return {
    id: d.id,
    tenantId: d.tenantId,
    eventId: d.eventId,
    webhookId: d.webhookId,
    destinationId: d.destinationId,
    eventType: d.eventType,
    status: d.status,
    trigger: d.trigger,
    attemptCount: d.attemptCount,
    nextAttemptAt: waiting && d.dueAt && d.dueAt.getTime() < IN_LINE ? d.dueAt : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    completedAt: d.completedAt,
    version: d.version,
  };
}
