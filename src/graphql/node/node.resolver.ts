import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { roleAllows } from '../../domain/api-key/api-key.service';
import { idKind } from '../../domain/shared/ids';
import type { Context } from '../context';
import { Node } from '../common/relay';
import { toDeliveryType } from '../delivery/delivery.type';
import { toDestinationType } from '../destination/destination.type';
import { toListenerType } from '../listener/listener.type';

@Resolver()
export class NodeResolver {
  @Authorized('VIEWER')
  @Query(() => Node, { nullable: true, description: 'Any record by its global id; null when there is none.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context): Promise<Node | null> {
    switch (idKind(id)) {
      case 'destination': {
        const destination = await services.destinations.get(id);
        return destination && toDestinationType(destination);
      }
      case 'webhook':
        return services.webhooks.get(id);
      case 'event':
        return services.events.get(id);
      case 'delivery': {
        const delivery = await services.deliveries.get(id);
        return delivery && toDeliveryType(delivery);
      }
      case 'attempt':
        return services.deliveries.getAttempt(id);
      case 'apiKey':
        return roleAllows(principal.role, 'ADMIN') ? services.apiKeys.get(id) : null;
      case 'listener': {
        const listener = roleAllows(principal.role, 'ADMIN') ? await services.listeners.get(id) : null;
        return listener && toListenerType(listener, services.publicUrl);
      }
      case 'listenerRequest':
        return roleAllows(principal.role, 'ADMIN') ? services.listeners.getRequest(id) : null;
      case undefined:
        return null;
    }
  }
}
