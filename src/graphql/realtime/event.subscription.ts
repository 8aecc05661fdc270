import { Arg, Authorized, Resolver, Root, Subscription } from 'type-graphql';
import { inScope } from '../../domain/tenant/scope';
import { validateEventTypePatterns } from '../../domain/webhook/event-type-pattern';
import { EventType } from '../event/event.type';
import { eventTypeMatches } from './filters';
import { realtimeOf, type RealtimeContext } from './realtime-context';
import { eventFromWire, type EventWire } from './wire';

interface EventArgs {
  args: { types?: string[] | null; tenant?: string | null };
  context: RealtimeContext;
}

@Resolver()
export class EventSubscriptionResolver {
  @Authorized('VIEWER')
  @Subscription(() => EventType, {
    description:
      "Every stored event whose type matches one of `types` (exact, `prefix.*` or `*`; all when omitted), of one tenant when `tenant` (its uid) is given. A tenant's key hears only its own.",
    subscribe: async ({ args, context }: EventArgs) => {
      const types = args.types?.length ? validateEventTypePatterns(args.types, 'types') : null;
      const realtime = realtimeOf(context);
      const scope = args.tenant == null ? context.principal : { tenantId: await context.services.tenants.resolve(args.tenant, context.principal, ['tenant']) };
      return realtime.hub.subscribe('eventPublished', (e) => inScope(scope, e.tenantId) && eventTypeMatches(types, e.type), realtime.cutOff);
    },
  })
  eventPublished(
    @Root() message: EventWire,
    @Arg('types', () => [String], { nullable: true }) _types: string[] | null,
    @Arg('tenant', () => String, { nullable: true }) _tenant: string | null,
  ): EventType {
    return eventFromWire(message);
  }
}
