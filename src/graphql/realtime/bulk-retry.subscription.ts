import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { BulkRetryProgress } from '../../domain/delivery/bulk-retry-progress';
import { BulkRetryType } from '../delivery/bulk-retry.types';
import { realtimeOf, type RealtimeContext } from './realtime-context';

interface BulkRetryArgs {
  args: { id?: string | null };
  context: RealtimeContext;
}

@Resolver()
export class BulkRetrySubscriptionResolver {
  @Authorized('VIEWER')
  @Subscription(() => BulkRetryType, {
    description:
      'Progress of one bulk retry job after each batch, the last with `finished`; of every job when `id` is omitted. ' +
      'A job this instance runs or ran lately starts the stream with its current state.',
    subscribe: ({ args, context }: BulkRetryArgs) => {
      const id = args.id ?? null;
      const realtime = realtimeOf(context);
      const scope = context.principal;
      const mine = (p: BulkRetryProgress) => scope.tenantId === null || p.tenantId === scope.tenantId;
      const latest = id ? context.services.bulkRetries.latest(id) : undefined;
      const known = latest && mine(latest) ? latest : undefined;
      return realtime.hub.subscribe('bulkRetryProgress', (p) => mine(p) && (!id || p.id === id), realtime.cutOff, known);
    },
  })
  bulkRetryProgress(@Root() progress: BulkRetryProgress, @Arg('id', () => ID, { nullable: true }) _id: string | null): BulkRetryType {
    return progress;
  }
}
