import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { roleAllows } from '../../domain/api-key/api-key.service';
import { openHeader } from '../../domain/destination/sealed-header';
import { PageArgsType } from '../common/page.args';
import type { Context } from '../context';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload } from '../common/user-error.type';
import { DestinationCreateInput, DestinationUpdateInput } from './destination.input';
import { DestinationCreatePayload, DestinationDeletePayload, DestinationRotateSecretPayload, DestinationUpdatePayload } from './destination.payload';
import { DestinationHeaderType, DestinationType, toDestinationType } from './destination.type';

export const DestinationConnection = Connection(DestinationType, 'Destination');

@Resolver(() => DestinationType)
export class DestinationResolver {
  @Authorized('VIEWER')
  @Query(() => DestinationConnection)
  async destinations(@Args() page: PageArgsType, @Ctx() { services, principal }: Context) {
    return toConnection(DestinationConnection, await services.destinations.list(page, principal), toDestinationType);
  }

  @Authorized('ADMIN')
  @Mutation(() => DestinationCreatePayload)
  destinationCreate(@Arg('input') input: DestinationCreateInput, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => {
      const tenantId = await services.tenants.resolve(input.tenant, principal);
      const { destination, signingSecret } = await services.destinations.create(input, tenantId);
      return { destination: toDestinationType(destination), signingSecret };
    });
  }

  @Authorized('ADMIN')
  @Mutation(() => DestinationUpdatePayload)
  destinationUpdate(@Arg('id', () => ID) id: string, @Arg('input') input: DestinationUpdateInput, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ destination: toDestinationType(await services.destinations.update(id, input, principal)) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => DestinationDeletePayload)
  destinationDelete(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ deletedId: (await services.destinations.delete(id, principal)).id }));
  }

  @Authorized('ADMIN')
  @Mutation(() => DestinationRotateSecretPayload)
  destinationRotateSecret(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => {
      const { destination, signingSecret } = await services.destinations.rotateSecret(id, principal);
      return { destination: toDestinationType(destination), signingSecret };
    });
  }

  /** Custom header values may be credentials: ADMIN keys read them, others see hints (in subscriptions too). */
  @FieldResolver(() => [DestinationHeaderType])
  headers(@Root() destination: DestinationType, @Ctx() { principal, services }: Context): DestinationHeaderType[] {
    const admin = roleAllows(principal.role, 'ADMIN');
    return destination.sealedHeaders.map((h) => ({ name: h.name, value: admin ? openHeader(h, services.box).value : null, valueHint: h.valueHint }));
  }
}
