import type { Dialect } from '../../sql/dialect';
import type { DeliveryStatus } from './delivery.entity';

const STOPPED: readonly DeliveryStatus[] = ['FAILED', 'CANCELLED'];
const OPEN: readonly DeliveryStatus[] = ['PENDING', 'IN_FLIGHT', 'RETRY_SCHEDULED'];

/**
 * A status filter on deliveries `d` (parameter `status`), worded so that an index serves
 * it. There is no index on the status itself: it would change at every claim and every
 * success (see the stopped-index migrations).
 * - Only FAILED or CANCELLED: ix_deliveries_stopped, through its virtual column on MySQL
 *   and, on SQLite, through the partial index's own condition, which its planner wants
 *   word for word.
 * - Only open statuses: ix_deliveries_due. An open delivery always has a due time (its
 *   next attempt, or the end of its lease while IN_FLIGHT); a finished one never has.
 * - SUCCEEDED, or a mix: read in id order. Successes are most of the table.
 */
export function statusConditions(dialect: Dialect, statuses: readonly DeliveryStatus[]): string[] {
  const conditions = ['d.status IN (:...status)'];
  if (statuses.every((s) => STOPPED.includes(s))) {
    conditions.push(dialect.stopped);
  } else if (statuses.every((s) => OPEN.includes(s))) {
    conditions.push('d.due_at IS NOT NULL');
  }
  return conditions;
}
