import type { EntityManager } from 'typeorm';
import { IN_LINE } from '../domain/delivery/waiting';
import { IN_TURN } from './claim-due';
import { deliveryColumns, placeholders } from './delivery-row';
import type { Dialect } from './dialect';
import type { Statement } from './queue-transaction';

/** A destination no longer limited: its line is due now, for the ordinary claim. */
export async function releaseLine(manager: EntityManager, destinationId: string, now: Date): Promise<void> {
  const { sql, params } = releaseLineStatement(destinationId, now.getTime());
  await manager.query(sql, params);
}

/** releaseLine's statement, for the queue's own transactions as well. */
export function releaseLineStatement(destinationId: string, now: number): Statement {
  return {
    sql: `UPDATE deliveries SET due_at = ?, updated_at = ?, version = version + 1 WHERE destination_id = ? AND due_at = ${IN_LINE}`,
    params: [now, now, destinationId],
  };
}

/**
 * Each destination's first row in line (ix_deliveries_line; SQLite is told the index, or
 * it would take ix_deliveries_due for the literal due time, reading every line) or first
 * due row (ix_deliveries_due; see joinLineStatement for the unary +).
 */
export function linesWithWorkStatement(dialect: Dialect, destinationIds: string[], now: number): Statement {
  const inLine = `SELECT 1 FROM deliveries l${dialect.indexedBy('ix_deliveries_line')} WHERE ${dialect.inLine('l', 'd.id')}`;
  const due = `SELECT 1 FROM deliveries q WHERE q.due_at <= ? AND ${dialect.unindexed('q.destination_id')} = d.id`;
  return {
    sql: `SELECT d.id FROM destinations d WHERE d.id IN (${placeholders(destinationIds.length)}) AND (EXISTS (${inLine}) OR EXISTS (${due}))`,
    params: [...destinationIds, now],
  };
}

/**
 * New, retrying and expired deliveries of a limited destination join its line. Read
 * through ix_deliveries_due: the due rows are few, the destination's deliveries of all
 * time many (SQLite's planner, without statistics, would take the destination's index:
 * the unary + keeps it off that term).
 */
export function joinLineStatement(dialect: Dialect, destinationId: string, now: number): Statement {
  return {
    sql: `UPDATE deliveries SET due_at = ${IN_LINE}, version = version + 1 WHERE due_at <= ? AND ${dialect.unindexed('destination_id')} = ?
            AND EXISTS (SELECT 1 FROM destinations WHERE id = ? AND rate_limit IS NOT NULL AND deleted_at IS NULL)`,
    params: [now, destinationId, destinationId],
  };
}

/**
 * The destination's requests in flight: leased, the lease not expired. A lease ends
 * within `leaseMs` of its claim (every worker of a cluster runs with the same lease), so
 * only a stretch of ix_deliveries_due is read: twice that, because `now` was taken before
 * this claim waited for the destination's lock, and a claim that held the lock meanwhile
 * took its leases later.
 */
export function inFlightStatement(dialect: Dialect, destinationId: string, now: number, leaseMs: number): Statement {
  return {
    sql: `SELECT COUNT(*) AS n FROM deliveries WHERE due_at > ? AND due_at <= ? AND ${dialect.unindexed('destination_id')} = ? AND status = 'IN_FLIGHT'`,
    params: [now, now + 2 * leaseMs, destinationId],
  };
}

/**
 * The oldest of the line, in turn (ordering keys). MySQL reads ix_deliveries_line through
 * its virtual column; SQLite's partial index matches the literal due time.
 */
export function lineStatement(dialect: Dialect, destinationId: string, limit: number): Statement {
  return {
    sql: `SELECT ${deliveryColumns(dialect)} FROM deliveries d WHERE ${dialect.inLine('d', '?')} AND ${IN_TURN} ORDER BY d.id LIMIT ?${dialect.skipLocked}`,
    params: [destinationId, limit],
  };
}
