import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { progressOf } from '../../domain/job/bulk-job-progress';
import type { Context } from '../context';
import { toBulkJobType } from '../job/bulk-job.type';
import { mutationPayload } from '../common/user-error.type';
import { DeliveriesRetryPayload, DeliveryRetryFilterInput } from './bulk-retry.types';

@Resolver()
export class BulkRetryResolver {
  @Authorized('ADMIN')
  @Mutation(() => DeliveriesRetryPayload, {
    description:
      'Queues again every FAILED or CANCELLED delivery the filter selects, as deliveryRetry would, in the background; ' +
      '`bulkRetryProgress(id)` (or `bulkJobProgress`) streams how far it got. With `dryRun` it only counts them.',
  })
  deliveriesRetry(
    @Arg('filter', () => DeliveryRetryFilterInput) filter: DeliveryRetryFilterInput,
    @Arg('dryRun', { defaultValue: false }) dryRun: boolean,
    @Ctx() { services, principal }: Context,
  ) {
    return mutationPayload(async () => {
      const { tenant, ...rest } = filter;
      // A tenant's key retries its own deliveries only: its tenant is the filter's.
      const tenantId = tenant == null ? principal.tenantId : await services.tenants.resolve(tenant, principal, ['filter', 'tenant']);
      const scoped = { ...rest, tenantId };
      if (dryRun) return { matched: await services.bulkRetries.count(scoped), bulkRetry: null, job: null };
      const { progress, job } = await services.bulkRetries.start(scoped);
      return { matched: progress.total, bulkRetry: progress, job: toBulkJobType(progressOf(job)) };
    });
  }
}
