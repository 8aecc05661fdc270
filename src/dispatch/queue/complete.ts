import type { EntityManager } from 'typeorm';
import type { DeliveryStatus } from '../../domain/delivery/delivery.entity';
import { placeholders } from './delivery-row';

export interface Completion {
  id: string;
  status: Extract<DeliveryStatus, 'SUCCEEDED' | 'RETRY_SCHEDULED' | 'FAILED' | 'CANCELLED'>;
  attemptCount: number;
  dueAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

/**
 * Writes the state deliveries reached after their attempts. Deliveries with identical
 * values (the common case: a burst of 200s on first attempts) share one UPDATE. The
 * WHERE clause repeats the ownership condition so a cancelled delivery stays CANCELLED
 * even if a caller skipped findOwned.
 */
export async function completeDeliveries(tx: EntityManager, workerId: string, completions: Completion[], now: Date): Promise<void> {
  const groups = new Map<string, { c: Completion; ids: string[] }>();
  for (const c of completions) {
    const key = JSON.stringify([c.status, c.attemptCount, c.dueAt?.getTime() ?? null, c.lastStatusCode, c.lastError]);
    const group = groups.get(key);
    if (group) group.ids.push(c.id);
    else groups.set(key, { c, ids: [c.id] });
  }
  const at = now.getTime();
  for (const { c, ids } of groups.values()) {
    const terminal = c.status !== 'RETRY_SCHEDULED';
    await tx.query(
      `UPDATE deliveries SET status = ?, attempt_count = ?, due_at = ?, lease_owner = NULL,
         last_status_code = ?, last_error = ?, updated_at = ?, completed_at = ?
       WHERE id IN (${placeholders(ids.length)}) AND status = 'IN_FLIGHT' AND lease_owner = ?`,
      [c.status, c.attemptCount, c.dueAt?.getTime() ?? null, c.lastStatusCode, c.lastError, at, terminal ? at : null, ...ids, workerId],
    );
  }
}
