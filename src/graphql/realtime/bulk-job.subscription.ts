import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import { progressOf, type BulkJobProgress } from '../../domain/job/bulk-job-progress';
import { jobInScope } from '../../domain/job/bulk-job.service';
import { BulkJobType, toBulkJobType } from '../job/bulk-job.type';
import { realtimeOf, type RealtimeContext } from './realtime-context';

interface BulkJobArgs {
  args: { id: string };
  context: RealtimeContext;
}

@Resolver()
export class BulkJobSubscriptionResolver {
  @Authorized('VIEWER')
  @Subscription(() => BulkJobType, {
    description:
      'One bulk job as it changes: its stored state first, then after each batch, until it SUCCEEDED, FAILED or was CANCELLED. ' +
      'Another tenant’s job sends nothing. (Without Redis, a job run by another process shows within a second or so: each process looks for them in the database.)',
    subscribe: async ({ args, context }: BulkJobArgs) => {
      const realtime = realtimeOf(context);
      const scope = context.principal;
      // Subscribed before the read: a change between the two is not lost (at worst seen twice).
      const stored = await context.services.jobs.find(args.id, scope);
      const initial = stored ? progressOf(stored) : undefined;
      return realtime.hub.subscribe('bulkJobProgress', (p) => p.id === args.id && jobInScope(scope, p), realtime.cutOff, initial);
    },
  })
  bulkJobProgress(@Root() progress: BulkJobProgress, @Arg('id', () => ID) _id: string): BulkJobType {
    return toBulkJobType(progress);
  }
}
