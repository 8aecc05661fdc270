import { Arg, Authorized, Resolver, Root, Subscription } from 'type-graphql';
import { validateDeliveryFilter } from '../../domain/delivery/delivery.service';
import { UserError } from '../../domain/common/user-error';
import { inScope } from '../../domain/tenant/scope';
import { toDeliveryFilter } from '../delivery/delivery-filter';
import { DeliveryFilterInput } from '../delivery/delivery.input';
import { DeliveryAttemptType, DeliveryType } from '../delivery/delivery.type';
import type { DeliveryMessage } from './pubsub';
import { deliveryMatches } from './filters';
import { realtimeOf, type RealtimeContext } from './realtime-context';
import { attemptFromWire, deliveryFromWire } from './wire';

interface FilterArgs {
  args: { filter?: DeliveryFilterInput | null };
  context: RealtimeContext;
}

/** A tenant's key hears only its tenant's deliveries, whatever its filter says. */
async function subscribeDeliveries({ args, context }: FilterArgs, withAttempt: boolean) {
  const realtime = realtimeOf(context);
  if (args.filter?.runId) throw new UserError(['filter', 'runId'], 'filters the deliveries query only: a subscription cannot follow a run', 'INVALID_FILTER');
  const filter = validateDeliveryFilter(await toDeliveryFilter(args.filter, context.services, context.principal));
  const scope = context.principal;
  return realtime.hub.subscribe(
    'deliveryUpdated',
    (m) => (!withAttempt || m.attempt !== null) && inScope(scope, m.delivery.tenantId) && deliveryMatches(filter, m.delivery),
    realtime.cutOff,
  );
}

@Resolver()
export class DeliverySubscriptionResolver {
  @Authorized('VIEWER')
  @Subscription(() => DeliveryType, {
    description: 'Every status change of a delivery (PENDING, IN_FLIGHT, RETRY_SCHEDULED, SUCCEEDED, FAILED, CANCELLED), after it is committed.',
    subscribe: (data: FilterArgs) => subscribeDeliveries(data, false),
  })
  deliveryUpdated(
    @Root() message: DeliveryMessage,
    @Arg('filter', () => DeliveryFilterInput, { nullable: true }) _filter: DeliveryFilterInput | null,
  ): DeliveryType {
    return deliveryFromWire(message.delivery);
  }

  @Authorized('VIEWER')
  @Subscription(() => DeliveryAttemptType, {
    description: 'Every finished HTTP attempt, with its request and response.',
    subscribe: (data: FilterArgs) => subscribeDeliveries(data, true),
  })
  deliveryAttemptCompleted(
    @Root() message: DeliveryMessage,
    @Arg('filter', () => DeliveryFilterInput, { nullable: true }) _filter: DeliveryFilterInput | null,
  ): DeliveryAttemptType {
    return attemptFromWire(message.attempt!);
  }
}
