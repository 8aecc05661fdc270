import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { roleAllows } from '../../domain/api-key/api-key.service';
import { idKind } from '../../domain/common/ids';
import { inScope } from '../../domain/tenant/scope';
import type { Context } from '../context';
import { Node } from '../common/relay';
import { toDeliveryType } from '../delivery/delivery.type';
import { toDestinationType } from '../destination/destination.type';
import { toListenerType } from '../listener/listener.type';
import { toSyncRunType } from '../sync-run/sync-run.resolver';
import { toBulkJobType } from '../job/bulk-job.type';
import { progressOf } from '../../domain/job/bulk-job-progress';

/** The record if the caller's scope may see it: another tenant's is as absent as one that never was. */
function mine<T extends { tenantId: string }>(principal: Context['principal'], row: T | null | undefined): T | null {
  return row && inScope(principal, row.tenantId) ? row : null;
}

@Resolver()
export class NodeResolver {
  @Authorized('VIEWER')
  @Query(() => Node, { nullable: true, description: 'Any record by its global id; null when there is none (or it is another tenant’s).' })
  async node(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context): Promise<Node | null> {
    const admin = roleAllows(principal.role, 'ADMIN');
    switch (idKind(id)) {
      case 'destination': {
        const destination = mine(principal, await services.destinations.get(id));
        return destination && toDestinationType(destination);
      }
      case 'webhook':
        return mine(principal, await services.webhooks.get(id));
      case 'event':
        return mine(principal, await services.events.get(id));
      case 'delivery': {
        const delivery = mine(principal, await services.deliveries.get(id));
        return delivery && toDeliveryType(delivery);
      }
      case 'attempt': {
        const attempt = await services.deliveries.getAttempt(id);
        return attempt && mine(principal, await services.deliveries.get(attempt.deliveryId)) ? attempt : null;
      }
      case 'apiKey':
        return admin && principal.tenantId === null ? services.apiKeys.get(id) : null;
      case 'listener': {
        const listener = admin ? mine(principal, await services.listeners.get(id)) : null;
        return listener && toListenerType(listener, services.publicUrl);
      }
      case 'listenerRequest': {
        const request = admin ? await services.listeners.getRequest(id) : null;
        return request && mine(principal, await services.listeners.get(request.listenerId)) ? request : null;
      }
      case 'syncRun': {
        const run = mine(principal, await services.syncRuns.get(id));
        return run && toSyncRunType(run);
      }
      case 'tenant': {
        const tenant = await services.tenants.get(id);
        return tenant && inScope(principal, tenant.id) ? tenant : null;
      }
      case 'bulkJob': {
        const job = await services.jobs.find(id, principal);
        return job && toBulkJobType(progressOf(job));
      }
      case undefined:
        return null;
    }
  }
}
