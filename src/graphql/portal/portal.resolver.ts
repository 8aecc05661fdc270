import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { mutationPayload } from '../common/user-error.type';
import type { Context } from '../context';
import { TenantPayload } from '../tenant/tenant.type';
import { wholeInstallation } from '../tenant/whole-installation';
import { TenantPortalAccessInput } from './portal.input';
import { TenantPortalAccessPayload } from './portal.payload';

/**
 * Portal tokens are made and revoked by the installation's backend (a key of the whole
 * installation, PUBLISHER or ADMIN), never by a tenant's key or a portal token.
 */
@Resolver()
export class PortalResolver {
  @Authorized('PUBLISHER')
  @Mutation(() => TenantPortalAccessPayload, { description: "A token and URL for the tenant's portal, for a browser." })
  tenantPortalAccess(@Arg('input') input: TenantPortalAccessInput, @Ctx() { services, principal }: Context) {
    wholeInstallation(principal, 'make portal tokens');
    return mutationPayload(() => services.portal.mint(input, principal, services.publicUrl));
  }

  @Authorized('PUBLISHER')
  @Mutation(() => TenantPayload, {
    description: "Every portal token of the tenant made so far stops working, in every process within 2 s; its portal's sockets close.",
  })
  tenantRevokePortalAccess(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    wholeInstallation(principal, 'revoke portal tokens');
    return mutationPayload(async () => ({ tenant: await services.tenants.revokePortalAccess(id) }));
  }
}
