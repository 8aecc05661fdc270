import { placeholders } from './delivery-row';
import type { Dialect } from './dialect';
import type { QueueTx, Statement } from './queue-transaction';

/** How far a held delivery's due time moves each time a claim meets it. */
export const HOLD_MS = 30_000;

/** A destination that does not send now: not ACTIVE, or its breaker open (one parameter: now). */
const HELD = `(status <> 'ACTIVE' OR circuit_open_until > ?)`;

/**
 * The destinations a claim passes over, as the dispatcher last read them
 * (dispatch/inactive-destinations.ts).
 */
export interface DestinationsToSkip {
  /** Those not sending now (read again when the last read is stale): their due deliveries are held. */
  current(tx: QueueTx, now: number): Promise<string[]>;
  /** Those with a rate limit or max concurrency, whose deliveries only the claim of their line takes (claim-line.ts). */
  readonly limited: readonly string[];
}

/** Of a destination, whether it is held, probed by its breaker, limited: each 1 or 0 (MySQL may give them as texts). */
export interface DestinationState {
  id: string;
  held: number | string;
  probing: number | string;
  limited: number | string;
  /** ACTIVE, and held by its open circuit breaker. */
  breaker: number | string;
}

/** Each destination that is not sending, or whose breaker's streak is past `threshold` (probing), or that has limits. */
export function readDestinationStates(tx: QueueTx, now: number, threshold: number): Promise<DestinationState[]> {
  return tx.rows<DestinationState>(
    `SELECT id, CASE WHEN ${HELD} THEN 1 ELSE 0 END AS held, CASE WHEN failure_streak >= ? THEN 1 ELSE 0 END AS probing,
           CASE WHEN rate_limit IS NOT NULL THEN 1 ELSE 0 END AS limited,
           CASE WHEN status = 'ACTIVE' AND circuit_open_until > ? THEN 1 ELSE 0 END AS breaker
         FROM destinations WHERE (${HELD} OR failure_streak >= ? OR rate_limit IS NOT NULL) AND deleted_at IS NULL`,
    [now, threshold, now, now, threshold],
  );
}

/**
 * Deliveries of a PAUSED or DISABLED destination, or of one whose breaker is open, wait:
 * nothing is dropped and nothing is sent. Their due time moves forward (by HOLD_MS, or
 * to the end of the breaker's hold) so the claim's index range stays clear of them;
 * re-activating the destination makes them due at once (DestinationService.update).
 * Returns the held destination ids for the claim to skip.
 */
export async function holdInactive(tx: QueueTx, now: number, inactive: DestinationsToSkip): Promise<string[]> {
  const ids = await inactive.current(tx, now);
  if (ids.length) await tx.send([holdStatement(now, ids)]);
  return ids;
}

/**
 * MySQL: share locks on the held destinations' rows, sent ahead of the hold in the same
 * transaction. The hold's own status check is a plain read as of its statement's start;
 * without the lock, a hold that ran while a re-activation was committing could wait for
 * the rows the re-activation had just made due, then push them back by HOLD_MS on the
 * strength of the old status. With it, the hold starts only after that commit (and sees
 * ACTIVE), or the re-activation waits for the claim's commit (and resumes what it held).
 * SQLite has one writer: nothing to race.
 */
export function lockHeldStatement(dialect: Dialect, ids: string[]): Statement {
  return { sql: `SELECT id FROM destinations WHERE id IN (${placeholders(ids.length)})${dialect.forShare}`, params: ids };
}

/**
 * The hold itself. The status is checked again here: a destination re-activated since
 * the list was read (by another process) MUST NOT have its just-resumed deliveries
 * pushed back (on MySQL with lockHeldStatement ahead of it).
 */
export function holdStatement(now: number, ids: string[]): Statement {
  return {
    sql: `UPDATE deliveries SET due_at = COALESCE(
            (SELECT circuit_open_until FROM destinations d WHERE d.id = deliveries.destination_id AND d.status = 'ACTIVE'), ?), version = version + 1
          WHERE due_at <= ? AND destination_id IN (
            SELECT id FROM destinations WHERE id IN (${placeholders(ids.length)}) AND ${HELD})`,
    params: [now + HOLD_MS, now, ...ids, now],
  };
}
