import { placeholders } from './delivery-row';
import type { QueueTx } from './queue-transaction';

/** ACTIVE → DISABLED with a reason; false when it was not ACTIVE (another worker or an operator got there first). */
export async function disableDestination(tx: QueueTx, id: string, reason: string, now: Date): Promise<boolean> {
  const affected = await tx.run(
    `UPDATE destinations SET status = 'DISABLED', status_reason = ?, status_changed_at = ?, updated_at = ? WHERE id = ? AND status = 'ACTIVE'`,
    [reason.slice(0, 500), now.getTime(), now.getTime(), id],
  );
  return affected > 0;
}

/** Of `ids`, the destinations disabled at exactly `at` (by a batch whose commit reply was lost), with their reasons. */
export async function findDisabledAt(tx: QueueTx, ids: string[], at: Date): Promise<{ id: string; reason: string }[]> {
  if (!ids.length) return [];
  const rows = await tx.rows<{ id: string; status_reason: string | null }>(
    `SELECT id, status_reason FROM destinations WHERE id IN (${placeholders(ids.length)}) AND status = 'DISABLED' AND status_changed_at = ?`,
    [...ids, at.getTime()],
  );
  return rows.map((r) => ({ id: r.id, reason: r.status_reason ?? '' }));
}
