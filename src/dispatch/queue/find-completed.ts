import type { EntityManager } from 'typeorm';
import { placeholders } from './delivery-row';

/** Which of `ids` the completion UPDATE of this transaction just wrote (same status, same updated_at, lease gone). */
export async function findCompleted(tx: EntityManager, ids: string[], status: string, updatedAt: number): Promise<string[]> {
  const rows: { id: string }[] = await tx.query(
    `SELECT id FROM deliveries WHERE id IN (${placeholders(ids.length)}) AND status = ? AND updated_at = ? AND lease_owner IS NULL`,
    [...ids, status, updatedAt],
  );
  return rows.map((r) => r.id);
}
