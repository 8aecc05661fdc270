import { placeholders } from './delivery-row';
import type { QueueTx } from './queue-transaction';

/** Which of `ids` the completion UPDATE of this transaction just wrote (same status, same updated_at, lease gone). */
export async function findCompleted(tx: QueueTx, ids: string[], status: string, updatedAt: number): Promise<string[]> {
  const rows = await tx.rows<{ id: string }>(
    `SELECT id FROM deliveries WHERE id IN (${placeholders(ids.length)}) AND status = ? AND updated_at = ? AND lease_owner IS NULL`,
    [...ids, status, updatedAt],
  );
  return rows.map((r) => r.id);
}
