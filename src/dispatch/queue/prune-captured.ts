import { placeholders } from './delivery-row';
import type { QueueTx } from './queue-transaction';

/** Up to `limit` captured listener requests created before the boundary id; how many went. */
export async function pruneCaptured(tx: QueueTx, before: string, limit: number): Promise<number> {
  const rows = await tx.rows<{ id: string }>(`SELECT id FROM listener_requests WHERE id < ? ORDER BY id LIMIT ?`, [before, limit]);
  if (!rows.length) return 0;
  return tx.run(
    `DELETE FROM listener_requests WHERE id IN (${placeholders(rows.length)})`,
    rows.map((r) => r.id),
  );
}
