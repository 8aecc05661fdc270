import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import { isIdOf } from '../../domain/common/ids';
import { UserError } from '../../domain/common/user-error';
import { inScope } from '../../domain/tenant/scope';
import { DestinationType } from '../destination/destination.type';
import { realtimeOf, type RealtimeContext } from './realtime-context';
import { destinationFromWire, type DestinationWire } from './wire';

interface DestinationArgs {
  args: { id?: string | null };
  context: RealtimeContext;
}

@Resolver()
export class DestinationSubscriptionResolver {
  @Authorized('VIEWER')
  @Subscription(() => DestinationType, {
    description: 'Status changes (ACTIVE, PAUSED, DISABLED) of one destination, or of all when `id` is omitted.',
    subscribe: ({ args, context }: DestinationArgs) => {
      const id = args.id ?? null;
      if (id && !isIdOf('destination', id)) throw new UserError(['id'], `"${id}" is not a destination id`, 'INVALID');
      const realtime = realtimeOf(context);
      const scope = context.principal;
      return realtime.hub.subscribe('destinationStatusChanged', (d) => inScope(scope, d.tenantId) && (!id || d.id === id), realtime.cutOff);
    },
  })
  destinationStatusChanged(@Root() message: DestinationWire, @Arg('id', () => ID, { nullable: true }) _id: string | null): DestinationType {
    return destinationFromWire(message);
  }
}
