import { placeholders } from './delivery-row';
import type { QueueTx, Statement } from './queue-transaction';

/** How far a held delivery's due time moves each time a claim meets it. */
export const HOLD_MS = 30_000;

/**
 * The destinations that are not ACTIVE, as last read: read again when older than
 * `ttlMs` (changes made by other processes arrive within it) or when this process
 * changed one (`invalidate`). Claims then skip a statement each.
 */
export class InactiveDestinations {
  private ids: string[] = [];
  private readAt = -Infinity;

  constructor(private readonly ttlMs = 1000) {}

  invalidate(): void {
    this.readAt = -Infinity;
  }

  /** As last read, without reading: whether this destination was found inactive. */
  has(id: string): boolean {
    return this.ids.includes(id);
  }

  async current(tx: QueueTx, now: number): Promise<string[]> {
    if (now - this.readAt >= this.ttlMs) {
      const rows = await tx.rows<{ id: string }>(`SELECT id FROM destinations WHERE status <> 'ACTIVE' AND deleted_at IS NULL`);
      this.ids = rows.map((row) => row.id);
      this.readAt = now;
    }
    return this.ids;
  }
}

/**
 * Deliveries of a PAUSED or DISABLED destination wait: nothing is dropped and nothing is
 * sent. Their due time moves forward by HOLD_MS so the claim's index range stays clear
 * of them; re-activating the destination makes them due at once
 * (DestinationService.update). Returns the held destination ids for the claim to skip.
 */
export async function holdInactive(tx: QueueTx, now: number, inactive: InactiveDestinations): Promise<string[]> {
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
export function lockHeldStatement(ids: string[]): Statement {
  return { sql: `SELECT id FROM destinations WHERE id IN (${placeholders(ids.length)}) LOCK IN SHARE MODE`, params: ids };
}

/**
 * The hold itself. The status is checked again here: a destination re-activated since
 * the list was read (by another process) MUST NOT have its just-resumed deliveries
 * pushed back (on MySQL with lockHeldStatement ahead of it).
 */
export function holdStatement(now: number, ids: string[]): Statement {
  return {
    sql: `UPDATE deliveries SET due_at = ? WHERE due_at <= ? AND destination_id IN (
            SELECT id FROM destinations WHERE id IN (${placeholders(ids.length)}) AND status <> 'ACTIVE')`,
    params: [now + HOLD_MS, now, ...ids],
  };
}
