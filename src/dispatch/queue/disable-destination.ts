import type { QueueTx } from './queue-transaction';

/** ACTIVE → DISABLED with a reason; false when it was not ACTIVE (another worker or an operator got there first). */
export async function disableDestination(tx: QueueTx, id: string, reason: string, now: Date): Promise<boolean> {
  const affected = await tx.run(
    `UPDATE destinations SET status = 'DISABLED', status_reason = ?, status_changed_at = ?, updated_at = ? WHERE id = ? AND status = 'ACTIVE'`,
    [reason.slice(0, 500), now.getTime(), now.getTime(), id],
  );
  return affected > 0;
}
