import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { renderDryRun } from '../../dispatch/request/dry-run';
import { mutationPayload } from '../common/user-error.type';
import { JSON } from '../common/scalars';
import type { Context } from '../context';
import { WebhookDryRunPayload } from './dry-run.payload';

@Resolver()
export class DryRunResolver {
  @Authorized('ADMIN')
  @Mutation(() => WebhookDryRunPayload, {
    description: 'Renders exactly what the webhook would send for an event (headers, body, signature base string) without sending or storing anything.',
  })
  webhookDryRun(
    @Arg('id', () => ID) id: string,
    @Arg('eventType', () => String) eventType: string,
    @Arg('data', () => JSON, { nullable: true }) data: unknown,
    @Ctx() { services, principal }: Context,
  ) {
    return mutationPayload(() => renderDryRun(services, id, eventType, data, principal));
  }
}
