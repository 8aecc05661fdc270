import type { EntityManager } from 'typeorm';
import { placeholders } from './delivery-row';

/**
 * Which of `ids` this worker still holds: IN_FLIGHT under its lease. Anything else was
 * cancelled, or its lease expired and another worker took it; a completion MUST NOT
 * overwrite those. On MySQL the rows stay locked until the completing transaction ends.
 */
export async function findOwned(tx: EntityManager, kind: 'sqlite' | 'mysql', workerId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows: { id: string }[] = await tx.query(
    `SELECT id FROM deliveries WHERE id IN (${placeholders(ids.length)}) AND status = 'IN_FLIGHT' AND lease_owner = ?${kind === 'mysql' ? ' FOR UPDATE' : ''}`,
    [...ids, workerId],
  );
  return new Set(rows.map((r) => r.id));
}
