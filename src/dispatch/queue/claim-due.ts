import type { DeliveryEntity } from '../../domain/delivery/delivery.entity';
import { deliveryColumns, placeholders, toDelivery, type DeliveryRow } from './delivery-row';
import { holdInactive, holdStatement, type InactiveDestinations } from './hold-inactive';
import type { QueueTx, Statement } from './queue-transaction';

export interface Claimed {
  delivery: DeliveryEntity;
  /** attempt_count when the current round began (see next-retry.ts). */
  roundBase: number;
}

export interface ClaimInput {
  workerId: string;
  now: Date;
  leaseMs: number;
  limit: number;
  inactive: InactiveDestinations;
}

/**
 * Claims up to `limit` due deliveries (PENDING, RETRY_SCHEDULED, or IN_FLIGHT with an
 * expired lease: all have `due_at <= now`) for `workerId`: IN_FLIGHT, due_at = lease
 * expiry. A claim of a PENDING delivery starts a round (a new delivery or an operator's
 * retry): round_base = attempt_count. Runs in its own short transaction; the caller
 * MUST NOT send anything before it commits.
 *
 * round_base is assigned first: MySQL evaluates SET left to right with updated values.
 */
export async function claimDue(tx: QueueTx, kind: 'sqlite' | 'mysql', input: ClaimInput): Promise<Claimed[]> {
  const leaseUntil = input.now.getTime() + input.leaseMs;
  const now = input.now.getTime();
  if (kind === 'sqlite') {
    const held = await holdInactive(tx, now, input.inactive);
    const rows = await tx.rows<DeliveryRow>(
      `UPDATE deliveries SET
         round_base = CASE WHEN status = 'PENDING' THEN attempt_count ELSE round_base END,
         status = 'IN_FLIGHT', lease_owner = ?, due_at = ?, updated_at = ?
       WHERE id IN (SELECT id FROM deliveries WHERE due_at IS NOT NULL AND due_at <= ?${skipHeld(held)} ORDER BY due_at LIMIT ?)
       RETURNING ${deliveryColumns(kind)}`,
      [input.workerId, leaseUntil, now, now, ...held, input.limit],
    );
    return rows.map((row) => ({ delivery: toDelivery(row), roundBase: Number(row.round_base) }));
  }
  // MySQL, two round trips: [START, hold, SELECT … FOR UPDATE SKIP LOCKED], then [UPDATE, COMMIT].
  const held = await input.inactive.current(tx, now);
  const select: Statement = {
    sql: `SELECT ${deliveryColumns(kind)} FROM deliveries WHERE due_at <= ?${skipHeld(held)} ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED`,
    params: [now, ...held, input.limit],
  };
  const results = await tx.send(held.length ? [holdStatement(now, held), select] : [select]);
  const rows = results[results.length - 1] as DeliveryRow[];
  if (!rows.length) return [];
  await tx.send(
    [
      {
        sql: `UPDATE deliveries SET
                round_base = CASE WHEN status = 'PENDING' THEN attempt_count ELSE round_base END,
                status = 'IN_FLIGHT', lease_owner = ?, due_at = ?, updated_at = ?
              WHERE id IN (${placeholders(rows.length)})`,
        params: [input.workerId, leaseUntil, now, ...rows.map((r) => r.id)],
      },
    ],
    { commit: true },
  );
  return rows.map((row) => {
    const roundBase = row.status === 'PENDING' ? Number(row.attempt_count) : Number(row.round_base);
    const delivery = toDelivery({ ...row, status: 'IN_FLIGHT', lease_owner: input.workerId, due_at: leaseUntil, updated_at: now });
    return { delivery, roundBase };
  });
}

/** The claim skips held destinations: their due time has just moved past `now`; this guards the race with a destination paused meanwhile. */
function skipHeld(held: string[]): string {
  return held.length ? ` AND destination_id NOT IN (${placeholders(held.length)})` : '';
}
