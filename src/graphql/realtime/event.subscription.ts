import { Arg, Authorized, Resolver, Root, Subscription } from 'type-graphql';
import { validateEventTypePatterns } from '../../domain/webhook/event-type-pattern';
import { EventType } from '../event/event.type';
import { eventTypeMatches } from './filters';
import { realtimeOf, type RealtimeContext } from './realtime-context';
import { eventFromWire, type EventWire } from './wire';

interface EventArgs {
  args: { types?: string[] | null };
  context: RealtimeContext;
}

@Resolver()
export class EventSubscriptionResolver {
  @Authorized('VIEWER')
  @Subscription(() => EventType, {
    description: 'Every stored event whose type matches one of `types` (exact, `prefix.*` or `*`; all when omitted).',
    subscribe: ({ args, context }: EventArgs) => {
      const types = args.types?.length ? validateEventTypePatterns(args.types, 'types') : null;
      const realtime = realtimeOf(context);
      return realtime.hub.subscribe('eventPublished', (e) => eventTypeMatches(types, e.type), realtime.cutOff);
    },
  })
  eventPublished(@Root() message: EventWire, @Arg('types', () => [String], { nullable: true }) _types: string[] | null): EventType {
    return eventFromWire(message);
  }
}
