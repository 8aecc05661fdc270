import { isDeepStrictEqual } from 'node:util';
import { UserError } from '../common/user-error';
import type { EventEntity } from './event.entity';

/**
 * What a publish must repeat to be a replay of the one that first used its idempotency
 * key. `occurredAt` is not among them: a client retrying may stamp the time anew.
 */
const SAME_INPUT = ['type', 'entityId', 'entityUrl', 'data', 'orderingKey'] as const;

/**
 * A repeated key with the same input returns the first event; with different input it is
 * a mistake the caller must hear about (as Stripe answers), not a silent replay of
 * something else.
 */
export function refuseConflictingReplay(earlier: EventEntity, again: EventEntity): void {
  const differing = SAME_INPUT.filter((field) => !isDeepStrictEqual(asStored(earlier[field]), asStored(again[field])));
  if (differing.length > 0) {
    throw new UserError(
      ['idempotencyKey'],
      `was used for event ${earlier.id} with a different ${differing.join(', ')}; a new event needs a new key`,
      'IDEMPOTENCY_CONFLICT',
    );
  }
}

/** The value as it reads back from the database: JSON text drops undefined members and -0. */
function asStored(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
