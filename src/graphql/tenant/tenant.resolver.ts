import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgsType } from '../common/page.args';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload } from '../common/user-error.type';
import type { Context } from '../context';
import { DeliveryConnection } from '../delivery/delivery.resolver';
import { DeliveryFilterInput } from '../delivery/delivery.input';
import { toDeliveryType } from '../delivery/delivery.type';
import { DestinationConnection } from '../destination/destination.resolver';
import { toDestinationType } from '../destination/destination.type';
import { ListenerConnection } from '../listener/listener.resolver';
import { toListenerType } from '../listener/listener.type';
import { WebhookConnection } from '../webhook/webhook.resolver';
import type { WebhookType } from '../webhook/webhook.type';
import { wholeInstallation } from './whole-installation';
import { countTenantRows } from '../../sql/delete-tenant-data';
import { TenantCreateInput, TenantFilterInput, TenantPayload, TenantRowsType, TenantType, TenantUpdateInput } from './tenant.type';

export const TenantConnection = Connection(TenantType, 'Tenant');

/**
 * Tenants are managed by keys of the whole installation (a tenant's own ADMIN manages its
 * destinations, webhooks and listeners, never tenants or keys). A tenant's key reads only
 * its own tenant.
 */
@Resolver(() => TenantType)
export class TenantResolver {
  @Authorized('VIEWER')
  @Query(() => TenantConnection)
  async tenants(
    @Args() page: PageArgsType,
    @Arg('filter', () => TenantFilterInput, { nullable: true }) filter: TenantFilterInput | null,
    @Ctx() { services, principal }: Context,
  ) {
    return toConnection(TenantConnection, await services.tenants.list({ ...page, uidPrefix: filter?.uidPrefix }, principal), (t): TenantType => t);
  }

  @Authorized('VIEWER')
  @Query(() => TenantType, { nullable: true, description: 'The tenant with this uid (your id for the customer).' })
  tenant(@Arg('uid') uid: string, @Ctx() { services, principal }: Context) {
    return services.tenants.byUidInScope(uid, principal);
  }

  @Authorized('ADMIN')
  @Mutation(() => TenantPayload)
  tenantCreate(@Arg('input') input: TenantCreateInput, @Ctx() { services, principal }: Context) {
    wholeInstallation(principal, 'create tenants');
    return mutationPayload(async () => ({ tenant: await services.tenants.create(input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => TenantPayload)
  tenantUpdate(@Arg('id', () => ID) id: string, @Arg('input') input: TenantUpdateInput, @Ctx() { services, principal }: Context) {
    wholeInstallation(principal, 'change tenants');
    return mutationPayload(async () => ({ tenant: await services.tenants.update(id, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => TenantPayload, {
    description:
      'Marks the tenant DELETING and removes its data in the background (Tenant.status; the tenant goes last). The default tenant cannot be deleted.',
  })
  tenantDelete(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    wholeInstallation(principal, 'delete tenants');
    return mutationPayload(async () => ({ tenant: await services.tenants.markDeleted(id) }));
  }

  @FieldResolver(() => TenantRowsType, { description: 'What it owns now (counted when asked).' })
  async remaining(@Root() tenant: TenantType, @Ctx() { services }: Context): Promise<TenantRowsType> {
    const rows = await services.db.queueTransaction((tx) => countTenantRows(tx, tenant.id));
    return { ...rows, apiKeys: rows.api_keys, syncRuns: rows.sync_runs };
  }

  @FieldResolver(() => DestinationConnection)
  async destinations(@Root() tenant: TenantType, @Args() page: PageArgsType, @Ctx() { services }: Context) {
    return toConnection(DestinationConnection, await services.destinations.list(page, { tenantId: tenant.id }), toDestinationType);
  }

  @FieldResolver(() => WebhookConnection)
  async webhooks(@Root() tenant: TenantType, @Args() page: PageArgsType, @Ctx() { services }: Context) {
    return toConnection(WebhookConnection, await services.webhooks.list(page, { tenantId: tenant.id }), (w): WebhookType => w);
  }

  @Authorized('ADMIN')
  @FieldResolver(() => ListenerConnection)
  async listeners(@Root() tenant: TenantType, @Args() page: PageArgsType, @Ctx() { services }: Context) {
    return toConnection(ListenerConnection, await services.listeners.list(page, { tenantId: tenant.id }), (l) => toListenerType(l, services.publicUrl));
  }

  @FieldResolver(() => DeliveryConnection)
  async deliveries(
    @Root() tenant: TenantType,
    @Args() page: PageArgsType,
    @Arg('filter', () => DeliveryFilterInput, { nullable: true }) filter: DeliveryFilterInput | null,
    @Ctx() { services }: Context,
  ) {
    const { tenant: _uid, ...rest } = filter ?? {};
    return toConnection(DeliveryConnection, await services.deliveries.list({ ...page, filter: rest }, { tenantId: tenant.id }), toDeliveryType);
  }
}
