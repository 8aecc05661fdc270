import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { progressOf } from '../../domain/job/bulk-job-progress';
import type { JobStart } from '../../domain/job/bulk-job.service';
import type { Context } from '../context';
import { mutationPayload } from '../common/user-error.type';
import { JobWindowArgs } from './bulk-job.args';
import { BulkJobCancelPayload, BulkJobPayload } from './bulk-job.payload';
import type { BulkJobStatus as BulkJobStatusValue } from '../../domain/job/bulk-job.entity';
import { Connection, toConnection } from '../common/relay';
import { PageArgsType } from '../common/page.args';
import { BulkJobStatus, BulkJobType, toBulkJobType } from './bulk-job.type';

export const BulkJobConnection = Connection(BulkJobType, 'BulkJob');

const started = ({ matched, job }: JobStart) => ({ matched, job: job && toBulkJobType(progressOf(job)) });

@Resolver()
export class BulkJobResolver {
  @Authorized('VIEWER')
  @Query(() => BulkJobType, { nullable: true, description: 'A bulk job; null when there is none (or it is another tenant’s).' })
  async bulkJob(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    const job = await services.jobs.find(id, principal);
    return job && toBulkJobType(progressOf(job));
  }

  @Authorized('VIEWER')
  @Query(() => BulkJobConnection, { description: 'Bulk jobs, newest first (a tenant’s key: its tenant’s); only those in `status` when given.' })
  async bulkJobs(
    @Args() page: PageArgsType,
    @Arg('status', () => [BulkJobStatus], { nullable: true }) status: BulkJobStatusValue[] | null,
    @Ctx() { services, principal }: Context,
  ) {
    return toConnection(BulkJobConnection, await services.jobs.list(page, principal, status), (job) => toBulkJobType(progressOf(job)));
  }

  @Authorized('ADMIN')
  @Mutation(() => BulkJobPayload, {
    description:
      "Queues again the destination's FAILED deliveries created in [since, until) (until: now when omitted), as a bulk job; " +
      '`bulkJobProgress(id)` streams how far it got. With `dryRun` it only counts them.',
  })
  destinationRecover(@Args() { id, since, until, dryRun }: JobWindowArgs, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => started(await services.jobs.recover(id, { since, until }, principal, dryRun)));
  }

  @Authorized('ADMIN')
  @Mutation(() => BulkJobPayload, {
    description:
      'Sends the events published in [since, until) (until: now when omitted) that the webhook wants to it again, as new deliveries ' +
      'with trigger REPLAY — also those published before it existed and those it delivered already — as a bulk job. With `dryRun` it only counts them.',
  })
  webhookReplay(@Args() { id, since, until, dryRun }: JobWindowArgs, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => started(await services.jobs.replay(id, { since, until }, principal, dryRun)));
  }

  @Authorized('ADMIN')
  @Mutation(() => BulkJobCancelPayload, { description: 'Stops a QUEUED or RUNNING bulk job after its current batch; what it did stays done.' })
  bulkJobCancel(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ job: toBulkJobType(progressOf(await services.jobs.cancel(id, principal))) }));
  }
}
