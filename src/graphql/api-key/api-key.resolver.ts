import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { PageArgsType } from '../common/page.args';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload } from '../common/user-error.type';
import { ApiKeyCreateInput, ApiKeyCreatePayload, ApiKeyRevokePayload, ApiKeyType } from './api-key.type';

export const ApiKeyConnection = Connection(ApiKeyType, 'ApiKey');

@Resolver(() => ApiKeyType)
export class ApiKeyResolver {
  @Authorized('ADMIN')
  @Query(() => ApiKeyConnection)
  async apiKeys(@Args() page: PageArgsType, @Ctx() { services }: Context) {
    return toConnection(ApiKeyConnection, await services.apiKeys.list(page), (k): ApiKeyType => k);
  }

  @Authorized('ADMIN')
  @Mutation(() => ApiKeyCreatePayload)
  apiKeyCreate(@Arg('input') input: ApiKeyCreateInput, @Ctx() { services }: Context) {
    return mutationPayload(() => services.apiKeys.create(input));
  }

  @Authorized('ADMIN')
  @Mutation(() => ApiKeyRevokePayload)
  apiKeyRevoke(@Arg('id', () => ID) id: string, @Ctx() { services }: Context) {
    return mutationPayload(async () => ({ apiKey: await services.apiKeys.revoke(id) }));
  }
}
