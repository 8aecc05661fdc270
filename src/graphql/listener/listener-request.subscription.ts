import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import { isIdOf } from '../../domain/shared/ids';
import { UserError } from '../../domain/shared/user-error';
import type { ListenerRequestWire } from '../pubsub';
import { realtimeOf, type RealtimeContext } from '../realtime/realtime-context';
import { listenerRequestFromWire } from '../realtime/wire';
import { ListenerRequestType } from './listener.type';

interface ListenerRequestArgs {
  args: { listenerId: string };
  context: RealtimeContext;
}

/**
 * Captured requests of one listener as they arrive (only while its capture is on). The
 * message is published after the capture row commits, through the same hub as every
 * other subscription, so it crosses processes with REDIS_URL.
 */
@Resolver()
export class ListenerRequestSubscriptionResolver {
  @Authorized('VIEWER')
  @Subscription(() => ListenerRequestType, {
    description: 'Requests captured by one listener, live (start capture with listenerCaptureStart).',
    subscribe: ({ args, context }: ListenerRequestArgs) => {
      const { listenerId } = args;
      if (!isIdOf('listener', listenerId)) throw new UserError(['listenerId'], `"${listenerId}" is not a listener id`, 'INVALID');
      const realtime = realtimeOf(context);
      return realtime.hub.subscribe('listenerRequestReceived', (r) => r.listenerId === listenerId, realtime.cutOff);
    },
  })
  listenerRequestReceived(
    @Root() message: ListenerRequestWire,
    @Arg('listenerId', () => ID) _listenerId: string,
  ): ListenerRequestType {
    return listenerRequestFromWire(message);
  }
}
