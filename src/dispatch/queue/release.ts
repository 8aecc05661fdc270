import { placeholders } from './delivery-row';
import type { QueueTx } from './queue-transaction';

/**
 * Gives held deliveries back to the queue without an attempt: on stop (due now), or
 * parked while their destination is paused or disabled (due later). Status returns to
 * PENDING when nothing was attempted yet, else RETRY_SCHEDULED. A lease MUST be released
 * on every path that does not complete it; a crash leaves it to expire instead.
 */
export async function releaseLeases(tx: QueueTx, workerId: string, ids: string[], dueAt: Date, now: Date): Promise<void> {
  if (!ids.length) return;
  await tx.run(
    `UPDATE deliveries SET status = CASE WHEN attempt_count = 0 THEN 'PENDING' ELSE 'RETRY_SCHEDULED' END,
       lease_owner = NULL, due_at = ?, updated_at = ?
     WHERE id IN (${placeholders(ids.length)}) AND status = 'IN_FLIGHT' AND lease_owner = ?`,
    [dueAt.getTime(), now.getTime(), ...ids, workerId],
  );
}
