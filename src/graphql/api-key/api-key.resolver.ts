import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { wholeInstallation } from '../tenant/whole-installation';
import { PageArgsType } from '../common/page.args';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload } from '../common/user-error.type';
import { ApiKeyCreateInput, ApiKeyCreatePayload, ApiKeyRevokePayload, ApiKeyType } from './api-key.type';

export const ApiKeyConnection = Connection(ApiKeyType, 'ApiKey');

@Resolver(() => ApiKeyType)
export class ApiKeyResolver {
  @Authorized('ADMIN')
  @Query(() => ApiKeyConnection)
  async apiKeys(@Args() page: PageArgsType, @Ctx() { services, principal }: Context) {
    wholeInstallation(principal, 'read API keys');
    return toConnection(ApiKeyConnection, await services.apiKeys.list(page), (k): ApiKeyType => k);
  }

  @Authorized('ADMIN')
  @Mutation(() => ApiKeyCreatePayload)
  apiKeyCreate(@Arg('input') input: ApiKeyCreateInput, @Ctx() { services, principal }: Context) {
    wholeInstallation(principal, 'create API keys');
    return mutationPayload(async () => {
      const tenantId = input.tenant == null ? null : await services.tenants.resolve(input.tenant, principal);
      return services.apiKeys.create({ name: input.name, role: input.role, tenantId });
    });
  }

  @Authorized('ADMIN')
  @Mutation(() => ApiKeyRevokePayload)
  apiKeyRevoke(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    wholeInstallation(principal, 'revoke API keys');
    return mutationPayload(async () => ({ apiKey: await services.apiKeys.revoke(id) }));
  }
}
