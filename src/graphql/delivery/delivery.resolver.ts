import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { PageArgsType } from '../common/page.args';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload } from '../common/user-error.type';
import { DestinationType, toDestinationType } from '../destination/destination.type';
import { EventType } from '../event/event.type';
import { WebhookType } from '../webhook/webhook.type';
import { toDeliveryFilter } from './delivery-filter';
import { DeliveryFilterInput } from './delivery.input';
import { DeliveryCancelPayload, DeliveryResendPayload, DeliveryRetryPayload } from './delivery.payload';
import { DeliveryAttemptType, DeliveryType, toDeliveryType } from './delivery.type';

export const DeliveryConnection = Connection(DeliveryType, 'Delivery');
export const DeliveryAttemptConnection = Connection(DeliveryAttemptType, 'DeliveryAttempt');

@Resolver(() => DeliveryType)
export class DeliveryResolver {
  @Authorized('VIEWER')
  @Query(() => DeliveryConnection)
  async deliveries(
    @Args() page: PageArgsType,
    @Arg('filter', () => DeliveryFilterInput, { nullable: true }) filter: DeliveryFilterInput | null,
    @Ctx() { services, principal }: Context,
  ) {
    const domainFilter = await toDeliveryFilter(filter, services, principal);
    return toConnection(DeliveryConnection, await services.deliveries.list({ ...page, filter: domainFilter }, principal), toDeliveryType);
  }

  @FieldResolver(() => EventType)
  event(@Root() delivery: DeliveryType, @Ctx() { loaders }: Context) {
    return loaders.event.load(delivery.eventId);
  }

  @FieldResolver(() => WebhookType, { nullable: true })
  webhook(@Root() delivery: DeliveryType, @Ctx() { loaders }: Context) {
    return loaders.webhook.load(delivery.webhookId);
  }

  @FieldResolver(() => DestinationType, { nullable: true })
  async destination(@Root() delivery: DeliveryType, @Ctx() { loaders }: Context) {
    const destination = await loaders.destination.load(delivery.destinationId);
    return destination && toDestinationType(destination);
  }

  @FieldResolver(() => DeliveryAttemptConnection, { description: 'Newest first.' })
  async attempts(@Root() delivery: DeliveryType, @Args() page: PageArgsType, @Ctx() { services }: Context) {
    return toConnection(DeliveryAttemptConnection, await services.deliveries.attempts(delivery.id, page), (a): DeliveryAttemptType => a);
  }

  @FieldResolver(() => DeliveryAttemptType, { nullable: true })
  latestAttempt(@Root() delivery: DeliveryType, @Ctx() { loaders }: Context) {
    return loaders.latestAttempt.load(delivery.id);
  }

  @Authorized('ADMIN')
  @Mutation(() => DeliveryRetryPayload)
  deliveryRetry(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ delivery: toDeliveryType(await services.deliveries.retry(id, principal)) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => DeliveryResendPayload, {
    description:
      'Sends a finished delivery (SUCCEEDED, FAILED or CANCELLED) again: it goes back to PENDING for a new round of attempts, ' +
      'with trigger RESEND and the same webhook-id; attempt numbers go on.',
  })
  deliveryResend(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ delivery: toDeliveryType(await services.deliveries.resend(id, principal)) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => DeliveryCancelPayload)
  deliveryCancel(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ delivery: toDeliveryType(await services.deliveries.cancel(id, principal)) }));
  }
}
