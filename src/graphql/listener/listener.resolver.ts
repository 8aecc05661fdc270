import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { ListenerEntity } from '../../domain/listener/listener.entity';
import type { Context } from '../context';
import { PageArgsType } from '../common/page.args';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload } from '../common/user-error.type';
import { ListenerCreateInput, ListenerMockRequestInput, ListenerUpdateInput } from './listener.input';
import { ListenerCaptureStartPayload, ListenerCreatePayload, ListenerDeletePayload, ListenerMockRunPayload, ListenerUpdatePayload } from './listener.payload';
import { ListenerRequestType, ListenerType, toListenerRequestType, toListenerType } from './listener.type';

export const ListenerConnection = Connection(ListenerType, 'Listener');
export const ListenerRequestConnection = Connection(ListenerRequestType, 'ListenerRequest');

/** Listeners are configuration with secrets: ADMIN only, reads included. */
@Resolver(() => ListenerType)
export class ListenerResolver {
  @Authorized('ADMIN')
  @Query(() => ListenerConnection)
  async listeners(@Args() page: PageArgsType, @Ctx() { services, principal }: Context) {
    return toConnection(ListenerConnection, await services.listeners.list(page, principal), (l) => toListenerType(l, services.publicUrl));
  }

  @Authorized('ADMIN')
  @Query(() => ListenerRequestConnection, { description: 'Captured requests, newest first.' })
  async listenerRequests(@Arg('id', () => ID) id: string, @Args() page: PageArgsType, @Ctx() { services, principal }: Context) {
    return toConnection(ListenerRequestConnection, await services.listeners.requests(id, page, principal), toListenerRequestType);
  }

  @Authorized('ADMIN')
  @Mutation(() => ListenerCreatePayload)
  listenerCreate(@Arg('input') input: ListenerCreateInput, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => {
      const tenantId = await services.tenants.resolve(input.tenant, principal);
      const { listener, secret } = await services.listeners.create(input, tenantId);
      return { listener: toListenerType(listener, services.publicUrl, madeToken(listener, secret)), secret };
    });
  }

  @Authorized('ADMIN')
  @Mutation(() => ListenerUpdatePayload)
  listenerUpdate(@Arg('id', () => ID) id: string, @Arg('input') input: ListenerUpdateInput, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => {
      const { listener, secret } = await services.listeners.update(id, input, principal);
      return { listener: toListenerType(listener, services.publicUrl, madeToken(listener, secret)), secret };
    });
  }

  @Authorized('ADMIN')
  @Mutation(() => ListenerDeletePayload)
  listenerDelete(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ deletedId: (await services.listeners.delete(id, principal)).id }));
  }

  @Authorized('ADMIN')
  @Mutation(() => ListenerCaptureStartPayload, { description: 'Keep every request for `minutes` (1–1440) and stream them live.' })
  listenerCaptureStart(@Arg('id', () => ID) id: string, @Arg('minutes', () => Int) minutes: number, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ listener: toListenerType(await services.listeners.captureStart(id, minutes, principal), services.publicUrl) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => ListenerMockRunPayload, { description: 'Shows the events a request would make, without storing or publishing anything.' })
  listenerMockRun(@Arg('id', () => ID) id: string, @Arg('request') request: ListenerMockRequestInput, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () =>
      services.listeners.mockRun(id, request, principal, { now: services.clock.now(), maxBodyBytes: services.config.listenerMaxBodyBytes }),
    );
  }
}

/** For SECRET_URL, the secret a create or update returns is the new URL's token, shown in that payload's `url` too. */
function madeToken(listener: ListenerEntity, secret: string | null): string | null {
  return listener.verification.type === 'SECRET_URL' ? secret : null;
}
