import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { signatureBaseString } from '../../dispatch/signing/standard-webhooks';
import type { Context, Loaders } from '../context';
import { DeliveryAttemptType } from '../delivery/delivery.type';
import { LARGE_FIELD_COST } from '../limits/query-cost';

/** An attempt as the API resolves it: stored (maybe with a recipe instead of its body) or as announced (whole). */
type AttemptSource = DeliveryAttemptType & { requestBodyRecipe?: string | null };

/**
 * The body as sent: stored, announced whole, or rebuilt from its recipe when asked for
 * (body-recipe.ts), so that lists that do not show bodies never read events for them.
 */
function requestBodyOf(attempt: AttemptSource, loaders: Loaders): string | null | Promise<string | null> {
  const { id, deliveryId, attemptNumber, requestBody, requestBodyRecipe } = attempt;
  if (requestBody !== null || !requestBodyRecipe) return requestBody;
  return loaders.requestBody.load({ id, deliveryId, attemptNumber, requestBodyRecipe });
}

@Resolver(() => DeliveryAttemptType)
export class DeliveryAttemptResolver {
  @FieldResolver()
  requestBody(@Root() attempt: AttemptSource, @Ctx() { loaders }: Context): string | null | Promise<string | null> {
    return requestBodyOf(attempt, loaders);
  }

  /**
   * The Standard Webhooks signature base string of a stored attempt, rebuilt from what
   * was stored: the `webhook-id` and `webhook-timestamp` headers (never redacted) and the body.
   */
  @FieldResolver(() => String, {
    nullable: true,
    complexity: LARGE_FIELD_COST,
    description: 'What the Standard Webhooks signature covers: `webhook-id.webhook-timestamp.body`.',
  })
  async signatureBaseString(@Root() attempt: AttemptSource, @Ctx() { loaders }: Context): Promise<string | null> {
    const find = (name: string) => attempt.requestHeaders.find((h) => h.name.toLowerCase() === name)?.value;
    const id = find('webhook-id');
    const timestamp = find('webhook-timestamp');
    if (!id || !timestamp) return null;
    return signatureBaseString(id, timestamp, (await requestBodyOf(attempt, loaders)) ?? '');
  }
}
