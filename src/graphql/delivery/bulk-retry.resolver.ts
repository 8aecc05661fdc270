import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { mutationPayload } from '../common/user-error.type';
import { DeliveriesRetryPayload, DeliveryRetryFilterInput } from './bulk-retry.types';

@Resolver()
export class BulkRetryResolver {
  @Authorized('ADMIN')
  @Mutation(() => DeliveriesRetryPayload, {
    description:
      'Queues again every FAILED or CANCELLED delivery the filter selects, as deliveryRetry would, in the background; ' +
      '`bulkRetryProgress(id)` streams how far it got. With `dryRun` it only counts them.',
  })
  deliveriesRetry(
    @Arg('filter', () => DeliveryRetryFilterInput) filter: DeliveryRetryFilterInput,
    @Arg('dryRun', { defaultValue: false }) dryRun: boolean,
    @Ctx() { services }: Context,
  ) {
    return mutationPayload(async () => {
      if (dryRun) return { matched: await services.bulkRetries.count(filter), bulkRetry: null };
      const bulkRetry = await services.bulkRetries.start(filter);
      return { matched: bulkRetry.total, bulkRetry };
    });
  }
}
