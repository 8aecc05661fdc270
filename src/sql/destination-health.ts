import type { EntityManager } from 'typeorm';
import type { BreakerConfig } from '../config';
import { DAY, HOUR, SECOND } from '../domain/common/time';
import { placeholders } from './delivery-row';
import type { QueueTx, Statement } from './queue-transaction';

/** What a batch of attempts said about each destination it reached. */
export interface Health {
  /** Destinations that answered 2xx at least once in the batch. */
  up: string[];
  /** Destinations found down (and never up in the batch), with how many attempts found them so. */
  down: Map<string, number>;
}

/**
 * The circuit breaker's counts, sent with a batch's completions in its
 * transaction, so every worker of a cluster adds to the same streak:
 * - a success resets the streak and closes the breaker (a write only where it was open
 *   or counting: the common all-2xx batch changes no row);
 * - failures add to it, and once it reaches the threshold the breaker opens for
 *   `openMs`. While it is open the destination counts as inactive (hold-inactive.ts);
 *   once that time is past, the next attempts probe it: a failure opens it again at
 *   once (the streak is still past the threshold), a success closes it.
 * MySQL evaluates SET left to right with the updated values: circuit_open_until is
 * assigned first, from the streak as it was.
 */
export function healthStatements(health: Health, now: number, breaker: BreakerConfig): Statement[] {
  const statements: Statement[] = [];
  if (health.up.length) {
    statements.push({
      sql: `UPDATE destinations SET failure_streak = 0, failing_since = NULL, circuit_open_until = NULL
            WHERE id IN (${placeholders(health.up.length)}) AND (failure_streak > 0 OR circuit_open_until IS NOT NULL)`,
      params: health.up,
    });
  }
  for (const [id, failures] of health.down) {
    statements.push({
      sql: `UPDATE destinations SET
              circuit_open_until = CASE WHEN failure_streak + ? >= ? THEN ? ELSE circuit_open_until END,
              failing_since = COALESCE(failing_since, ?),
              failure_streak = failure_streak + ?
            WHERE id = ?`,
      params: [failures, breaker.threshold, now + breaker.openMs, now, failures, id],
    });
  }
  return statements;
}

/**
 * A destination that has been failing, without one success, since before `since`:
 * ACTIVE → DISABLED with the reason (as a 410 does). False when it was not (still
 * ACTIVE, or not failing that long).
 */
export async function disableFailing(tx: QueueTx, id: string, reason: string, since: number, now: number): Promise<boolean> {
  const affected = await tx.run(
    `UPDATE destinations SET status = 'DISABLED', status_reason = ?, status_changed_at = ?, updated_at = ?
     WHERE id = ? AND status = 'ACTIVE' AND failing_since IS NOT NULL AND failing_since <= ?`,
    [reason, now, now, id, since],
  );
  return affected > 0;
}

/** The reason a destination disabled by the breaker shows. */
export function failingReason(disableAfterMs: number): string {
  const [value, unit] =
    disableAfterMs >= DAY ? [disableAfterMs / DAY, 'days'] : disableAfterMs >= HOUR ? [disableAfterMs / HOUR, 'h'] : [disableAfterMs / SECOND, 's'];
  return `circuit breaker: every attempt failed for more than ${Number(value.toFixed(1))} ${unit}`;
}

/** Sorts a batch's attempts by destination. */
export function healthOf(items: readonly { destinationId: string; health: 'UP' | 'DOWN' | null }[]): Health {
  const up = new Set<string>();
  const down = new Map<string, number>();
  for (const { destinationId, health } of items) {
    if (health === 'UP') up.add(destinationId);
    else if (health === 'DOWN') down.set(destinationId, (down.get(destinationId) ?? 0) + 1);
  }
  for (const id of up) down.delete(id);
  return { up: [...up], down };
}

/** ACTIVE → DISABLED with a reason; false when it was not ACTIVE (another worker or an operator got there first). */
export async function disableDestination(tx: QueueTx, id: string, reason: string, now: Date): Promise<boolean> {
  const affected = await tx.run(
    `UPDATE destinations SET status = 'DISABLED', status_reason = ?, status_changed_at = ?, updated_at = ? WHERE id = ? AND status = 'ACTIVE'`,
    [reason.slice(0, 500), now.getTime(), now.getTime(), id],
  );
  return affected > 0;
}

/** Of `ids`, the destinations disabled at exactly `at` (by a batch whose commit reply was lost), with their reasons. */
export async function findDisabledAt(tx: QueueTx, ids: string[], at: Date): Promise<{ id: string; reason: string }[]> {
  if (!ids.length) return [];
  const rows = await tx.rows<{ id: string; status_reason: string | null }>(
    `SELECT id, status_reason FROM destinations WHERE id IN (${placeholders(ids.length)}) AND status = 'DISABLED' AND status_changed_at = ?`,
    [...ids, at.getTime()],
  );
  return rows.map((r) => ({ id: r.id, reason: r.status_reason ?? '' }));
}

/** An operator re-enabled the destination: the breaker starts counting afresh. */
export async function closeCircuit(manager: EntityManager, id: string): Promise<void> {
  await manager.query(`UPDATE destinations SET failure_streak = 0, failing_since = NULL, circuit_open_until = NULL WHERE id = ?`, [id]);
}
