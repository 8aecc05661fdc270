import type { EntityManager } from 'typeorm';

/** ACTIVE → DISABLED with a reason; false when it was not ACTIVE (another worker or an operator got there first). */
export async function disableDestination(tx: EntityManager, id: string, reason: string, now: Date): Promise<boolean> {
  const runner = tx.queryRunner;
  if (!runner) throw new Error('disableDestination needs a transaction');
  const result = await runner.query(
    `UPDATE destinations SET status = 'DISABLED', status_reason = ?, status_changed_at = ?, updated_at = ? WHERE id = ? AND status = 'ACTIVE'`,
    [reason.slice(0, 500), now.getTime(), now.getTime(), id],
    true,
  );
  return (result.affected ?? 0) > 0;
}
