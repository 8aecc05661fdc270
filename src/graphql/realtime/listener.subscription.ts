import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import { isIdOf } from '../../domain/common/ids';
import { UserError } from '../../domain/common/user-error';
import { ListenerRequestType } from '../listener/listener.type';
import { realtimeOf, type RealtimeContext } from './realtime-context';
import { listenerRequestFromWire, type ListenerRequestWire } from './wire';

interface ListenerArgs {
  args: { listenerId: string };
  context: RealtimeContext;
}

@Resolver()
export class ListenerSubscriptionResolver {
  // ADMIN, as for the listenerRequests query: captured bodies are the senders' data.
  @Authorized('ADMIN')
  @Subscription(() => ListenerRequestType, {
    description: 'Requests a listener receives while its debug capture is on, as they arrive.',
    subscribe: async ({ args, context }: ListenerArgs) => {
      const { listenerId } = args;
      if (!isIdOf('listener', listenerId)) throw new UserError(['listenerId'], `"${listenerId}" is not a listener id`, 'INVALID');
      const realtime = realtimeOf(context);
      // Another tenant's listener is as unknown as one that does not exist.
      await context.services.listeners.require(listenerId, context.principal);
      return realtime.hub.subscribe('listenerRequestReceived', (r) => r.listenerId === listenerId, realtime.cutOff);
    },
  })
  listenerRequestReceived(@Root() message: ListenerRequestWire, @Arg('listenerId', () => ID) _listenerId: string): ListenerRequestType {
    return listenerRequestFromWire(message);
  }
}
