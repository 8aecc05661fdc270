import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { WebhookEntity } from '../../domain/webhook/webhook.entity';
import type { Context } from '../context';
import { PageArgsType } from '../common/page.args';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload } from '../common/user-error.type';
import { DestinationType, toDestinationType } from '../destination/destination.type';
import { WebhookCreateInput, WebhookUpdateInput } from './webhook.input';
import { WebhookCreatePayload, WebhookDeletePayload, WebhookUpdatePayload } from './webhook.payload';
import { WebhookType } from './webhook.type';

export const WebhookConnection = Connection(WebhookType, 'Webhook');

const toWebhookType = (w: WebhookEntity): WebhookType => w;

@Resolver(() => WebhookType)
export class WebhookResolver {
  @Authorized('VIEWER')
  @Query(() => WebhookConnection)
  async webhooks(
    @Args() page: PageArgsType,
    @Arg('destinationId', () => ID, { nullable: true }) destinationId: string | null,
    @Ctx() { services, principal }: Context,
  ) {
    return toConnection(WebhookConnection, await services.webhooks.list({ ...page, destinationId }, principal), toWebhookType);
  }

  @FieldResolver(() => DestinationType, { nullable: true })
  async destination(@Root() webhook: WebhookType, @Ctx() { loaders }: Context) {
    const destination = await loaders.destination.load(webhook.destinationId);
    return destination && toDestinationType(destination);
  }

  @Authorized('ADMIN')
  @Mutation(() => WebhookCreatePayload)
  webhookCreate(@Arg('input') input: WebhookCreateInput, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => {
      const tenantId = input.tenant == null ? null : await services.tenants.resolve(input.tenant, principal);
      return { webhook: toWebhookType(await services.webhooks.create(input, principal, tenantId)) };
    });
  }

  @Authorized('ADMIN')
  @Mutation(() => WebhookUpdatePayload)
  webhookUpdate(@Arg('id', () => ID) id: string, @Arg('input') input: WebhookUpdateInput, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ webhook: toWebhookType(await services.webhooks.update(id, input, principal)) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => WebhookDeletePayload)
  webhookDelete(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ deletedId: (await services.webhooks.delete(id, principal)).id }));
  }
}
