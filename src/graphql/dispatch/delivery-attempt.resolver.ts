import { FieldResolver, Resolver, Root } from 'type-graphql';
import { signatureBaseString } from '../../dispatch/signing/standard-webhooks';
import { DeliveryAttemptType } from '../delivery/delivery.type';
import { LARGE_FIELD_COST } from '../limits/query-cost';

/**
 * The Standard Webhooks signature base string of a stored attempt, rebuilt from what
 * was stored: the `webhook-id` and `webhook-timestamp` headers (never redacted) and the body.
 */
@Resolver(() => DeliveryAttemptType)
export class DeliveryAttemptResolver {
  @FieldResolver(() => String, {
    nullable: true,
    complexity: LARGE_FIELD_COST,
    description: 'What the Standard Webhooks signature covers: `webhook-id.webhook-timestamp.body`.',
  })
  signatureBaseString(@Root() attempt: DeliveryAttemptType): string | null {
    const find = (name: string) => attempt.requestHeaders.find((h) => h.name.toLowerCase() === name)?.value;
    const id = find('webhook-id');
    const timestamp = find('webhook-timestamp');
    if (!id || !timestamp) return null;
    return signatureBaseString(id, timestamp, attempt.requestBody ?? '');
  }
}
