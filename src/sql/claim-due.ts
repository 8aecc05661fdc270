import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { EventEntity } from '../domain/event/event.entity';
import { deliveryColumns, placeholders, toDelivery, type DeliveryRow } from './delivery-row';
import { holdInactive, holdStatement, lockHeldStatement, type DestinationsToSkip } from './hold-inactive';
import { eventsStatement, toEvent, type EventRow } from './load-events';
import type { QueueTx, Statement } from './queue-transaction';

/** A delivery's place in the queue's order: due_at, then id. */
export interface QueuePosition {
  dueAt: number;
  id: string;
}

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
  inactive: DestinationsToSkip;
  /**
   * Of the claimed deliveries' event ids, those to read along with the claim (MySQL: in
   * its last round trip, sparing the batch one of its own). SQLite reads them later.
   */
  eventsToRead?(ids: string[]): string[];
  /** MySQL: take only rows after this position (see dispatch/claim-cursor.ts); SQLite always scans from the start. */
  after?: QueuePosition | null;
}

export interface ClaimResult {
  claimed: Claimed[];
  /** The events read along (see ClaimInput.eventsToRead). */
  events: EventEntity[];
  /** MySQL: the position of the last row taken; null when none was (or on SQLite). */
  last: QueuePosition | null;
}

/**
 * Claims up to `limit` due deliveries (PENDING, RETRY_SCHEDULED, or IN_FLIGHT with an
 * expired lease: all have `due_at <= now`) for `workerId`: IN_FLIGHT, due_at = lease
 * expiry. A claim of a PENDING delivery starts a round (a new delivery or an operator's
 * retry): round_base = attempt_count. Runs in its own short transaction; the caller
 * MUST NOT send anything before it commits.
 *
 * round_base and due_before_lease are assigned before what they read: MySQL evaluates
 * SET left to right with updated values.
 */
export async function claimDue(tx: QueueTx, input: ClaimInput): Promise<ClaimResult> {
  const leaseUntil = input.now.getTime() + input.leaseMs;
  const now = input.now.getTime();
  if (tx.dialect.returning) {
    // SQLite: one statement, whose RETURNING gives the rows as leased.
    const held = await holdInactive(tx, now, input.inactive);
    const skipped = [...held, ...input.inactive.limited];
    const rows = await tx.rows<DeliveryRow>(
      `UPDATE deliveries SET
         round_base = CASE WHEN status = 'PENDING' THEN attempt_count ELSE round_base END,
         due_before_lease = ${DUE_BEFORE_LEASE}, status = 'IN_FLIGHT', lease_owner = ?, due_at = ?, updated_at = ?, version = version + 1
       WHERE id IN (SELECT id FROM deliveries d WHERE due_at IS NOT NULL AND due_at <= ?${skip(skipped)} AND ${IN_TURN} ORDER BY due_at LIMIT ?)
       RETURNING ${deliveryColumns(tx.dialect)}`,
      [input.workerId, leaseUntil, now, now, ...skipped, input.limit],
    );
    return { claimed: rows.map((row) => ({ delivery: toDelivery(row), roundBase: Number(row.round_base) })), events: [], last: null };
  }
  // MySQL, two round trips: [(lock, hold), SELECT … FOR UPDATE SKIP LOCKED], whose first
  // statement opens the transaction, then [UPDATE, events, COMMIT].
  const held = await input.inactive.current(tx, now);
  const skipped = [...held, ...input.inactive.limited];
  const after = input.after;
  // (due_at, id) is the order of ix_deliveries_due (InnoDB appends the primary key), so the
  // position's condition is a range on that index: the walk starts right after it.
  const select: Statement = {
    sql: `SELECT ${deliveryColumns(tx.dialect)} FROM deliveries d
          WHERE due_at <= ?${after ? ' AND (due_at > ? OR (due_at = ? AND id > ?))' : ''}${skip(skipped)} AND ${IN_TURN}
          ORDER BY due_at, id LIMIT ?${tx.dialect.skipLocked}`,
    params: [now, ...(after ? [after.dueAt, after.dueAt, after.id] : []), ...skipped, input.limit],
  };
  const results = await tx.send(held.length ? [lockHeldStatement(tx.dialect, held), holdStatement(now, held), select] : [select]);
  const rows = results[results.length - 1] as DeliveryRow[];
  if (!rows.length) return { claimed: [], events: [], last: null };
  const lastRow = rows[rows.length - 1]!;
  const last = { dueAt: Number(lastRow.due_at), id: lastRow.id };
  const eventIds = input.eventsToRead?.([...new Set(rows.map((r) => r.event_id))]) ?? [];
  const [, eventRows] = await tx.send([leaseStatement(input.workerId, leaseUntil, now, rows), ...(eventIds.length ? [eventsStatement(eventIds)] : [])], {
    commit: true,
  });
  const claimed = rows.map((row) => toClaimed(row, input.workerId, leaseUntil, now));
  return { claimed, events: eventIds.length ? (eventRows as EventRow[]).map(toEvent) : [], last };
}

/**
 * What a lease keeps of the due time it replaces, for an expired lease to go back to
 * (release-leases.ts). An expired lease taken again keeps the first one's: its place in
 * the queue is still the one it had before any lease.
 */
const DUE_BEFORE_LEASE = `CASE WHEN status = 'IN_FLIGHT' THEN due_before_lease ELSE due_at END`;

/**
 * Ordering keys: a delivery with a key waits while an earlier delivery of its
 * webhook with the same key is unfinished (waiting, retrying or in flight), so a key's
 * deliveries go out one at a time, in order, and a stuck one holds back only its own key.
 * Two of a key in one claim: the later still sees the earlier as unfinished. Served by
 * ix_deliveries_ordering; a delivery without a key pays one comparison.
 */
export const IN_TURN = `(d.ordering_key IS NULL OR NOT EXISTS (
  SELECT 1 FROM deliveries p WHERE p.webhook_id = d.webhook_id AND p.ordering_key = d.ordering_key AND p.id < d.id
    AND p.status IN ('PENDING', 'RETRY_SCHEDULED', 'IN_FLIGHT')))`;

/**
 * The claim skips held destinations (their due time has just moved past `now`; this guards
 * the race with a destination paused meanwhile) and limited ones (the claim of their line
 * takes theirs, claim-line.ts; a delivery that became due since its last claim waits for the next).
 */
function skip(ids: string[]): string {
  return ids.length ? ` AND destination_id NOT IN (${placeholders(ids.length)})` : '';
}

/** Leases the rows read (MySQL; SQLite's ordinary claim does it in one statement). */
export function leaseStatement(workerId: string, leaseUntil: number, now: number, rows: DeliveryRow[]): Statement {
  return {
    sql: `UPDATE deliveries SET
            round_base = CASE WHEN status = 'PENDING' THEN attempt_count ELSE round_base END,
            due_before_lease = ${DUE_BEFORE_LEASE}, status = 'IN_FLIGHT', lease_owner = ?, due_at = ?, updated_at = ?, version = version + 1
          WHERE id IN (${placeholders(rows.length)})`,
    params: [workerId, leaseUntil, now, ...rows.map((r) => r.id)],
  };
}

/** A row read before leaseStatement, as the lease left it. */
export function toClaimed(row: DeliveryRow, workerId: string, leaseUntil: number, now: number): Claimed {
  const roundBase = row.status === 'PENDING' ? Number(row.attempt_count) : Number(row.round_base);
  const delivery = toDelivery({ ...row, status: 'IN_FLIGHT', lease_owner: workerId, due_at: leaseUntil, updated_at: now, version: Number(row.version) + 1 });
  return { delivery, roundBase };
}
