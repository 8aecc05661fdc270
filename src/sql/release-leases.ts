import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import { deliveryColumns, placeholders, toDelivery, type DeliveryRow } from './delivery-row';
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
       lease_owner = NULL, due_at = ?, updated_at = ?, version = version + 1
     WHERE id IN (${placeholders(ids.length)}) AND status = 'IN_FLIGHT' AND lease_owner = ?`,
    [dueAt.getTime(), now.getTime(), ...ids, workerId],
  );
}

/**
 * Deliveries whose lease ended in (`from`, `now`] while still IN_FLIGHT: their worker
 * died (a live worker finishes or gives back its leases in time). Each goes back to its
 * place in the queue: due at the time it had before the lease (due_before_lease; rows
 * leased before that column existed go back to their creation), PENDING when nothing
 * was attempted, else RETRY_SCHEDULED. Left as they were, they would be due at their
 * lease's end, behind everything that came due while the lease ran; under a backlog,
 * thousands of deliveries younger than they are.
 *
 * Reads the stretch (`from`, `now`] of ix_deliveries_due, at most `limit` rows, and
 * returns the deliveries as written. MySQL skips rows a claim holds (it is taking them).
 */
export async function returnExpiredLeases(tx: QueueTx, from: number, now: number, limit: number): Promise<DeliveryEntity[]> {
  const expired = `SELECT id FROM deliveries WHERE due_at > ? AND due_at <= ? AND status = 'IN_FLIGHT' ORDER BY due_at LIMIT ?`;
  const set = `status = CASE WHEN attempt_count = 0 THEN 'PENDING' ELSE 'RETRY_SCHEDULED' END, lease_owner = NULL,
               due_at = COALESCE(due_before_lease, created_at), due_before_lease = NULL, updated_at = ?, version = version + 1`;
  if (tx.dialect.returning) {
    // SQLite: one statement, whose RETURNING gives the rows as written.
    const rows = await tx.rows<DeliveryRow>(`UPDATE deliveries SET ${set} WHERE id IN (${expired}) RETURNING ${deliveryColumns(tx.dialect)}`, [
      now,
      from,
      now,
      limit,
    ]);
    return rows.map(toDelivery);
  }
  const locked = await tx.rows<{ id: string }>(`${expired}${tx.dialect.skipLocked}`, [from, now, limit]);
  if (!locked.length) return [];
  const ids = locked.map((r) => r.id);
  const [, rows] = await tx.send(
    [
      { sql: `UPDATE deliveries SET ${set} WHERE id IN (${placeholders(ids.length)})`, params: [now, ...ids] },
      { sql: `SELECT ${deliveryColumns(tx.dialect)} FROM deliveries WHERE id IN (${placeholders(ids.length)})`, params: ids },
    ],
    { commit: true },
  );
  return (rows as DeliveryRow[]).map(toDelivery);
}
