import type { Database } from '../database/database';
import type { DeliveryStatus } from '../domain/delivery/delivery.entity';

/**
 * Entity ids among `previous`'s rows (not its delete rows) that `current` has no row for,
 * after `after`, in order: what a MIRROR run deletes. Both sides read ix_events_run.
 */
export async function entityIdsMissingFrom(db: Database, previous: string, current: string, after: string, limit: number): Promise<string[]> {
  const rows = await db.manager.query<{ entity_id: string }[]>(
    `SELECT DISTINCT p.entity_id FROM events p
      WHERE p.run_id = ? AND p.entity_id IS NOT NULL AND p.entity_id > ? AND (p.sync_op IS NULL OR p.sync_op <> 'delete')
        AND NOT EXISTS (SELECT 1 FROM events c WHERE c.run_id = ? AND c.entity_id = p.entity_id)
      ORDER BY p.entity_id LIMIT ?`,
    [previous, after, current, limit],
  );
  return rows.map((r) => r.entity_id);
}

/** How many of a run's deliveries are in each status. */
export async function runDeliveryCounts(db: Database, runId: string): Promise<Partial<Record<DeliveryStatus, number>>> {
  const rows = await db.manager.query<{ status: DeliveryStatus; n: number | string }[]>(
    `SELECT d.status AS status, COUNT(*) AS n FROM events e JOIN deliveries d ON d.event_id = e.id WHERE e.run_id = ? GROUP BY d.status`,
    [runId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
