import { placeholders } from './delivery-row';
import type { QueueTx, Statement } from './queue-transaction';

/** How far a held delivery's due time moves each time a claim meets it. */
export const HOLD_MS = 30_000;

/** A destination that does not send now: not ACTIVE, or its breaker open (one parameter: now). */
const HELD = `(status <> 'ACTIVE' OR circuit_open_until > ?)`;

/**
 * The destinations that are not sending, as last read: not ACTIVE, or held by their
 * open circuit breaker. Read again when older than `ttlMs` (changes made by other
 * processes arrive within it) or when this process changed one (`invalidate`). Claims
 * then skip a statement each. Also read: the destinations whose breaker lets probes
 * through (its hold is over, the streak still past the threshold), which the dispatcher
 * sends to one at a time, and those with a rate limit or max concurrency, whose
 * deliveries only the claim of their line takes (claim-limited.ts).
 */
export class InactiveDestinations {
  private ids: string[] = [];
  private probes: string[] = [];
  private limitedIds: string[] = [];
  /** Found down since the last read: the breaker may have opened (see doubt). */
  private readonly doubts = new Set<string>();
  private readAt = -Infinity;
  /** Counts the reads: what was decided on one list can wait for the next. */
  generation = 0;

  private readonly ttlMs: number;
  /** The breaker's threshold (a streak past it means probing); none: no breaker. */
  private readonly threshold: number;

  constructor(options: { ttlMs?: number; threshold?: number } = {}) {
    this.ttlMs = options.ttlMs ?? 1000;
    this.threshold = options.threshold ?? Infinity;
  }

  invalidate(): void {
    this.readAt = -Infinity;
  }

  /** As last read, without reading: whether this destination was found inactive. */
  has(id: string): boolean {
    return this.ids.includes(id);
  }

  /** As last read: whether this destination is being probed by its breaker. */
  probing(id: string): boolean {
    return this.probes.includes(id);
  }

  /** Attempts found these destinations down: until the next read, their breakers may be open. */
  doubt(ids: readonly string[]): void {
    for (const id of ids) this.doubts.add(id);
    this.invalidate();
  }

  /** Known to be sending as last read, without limits, with nothing heard since that says otherwise. */
  clear(id: string): boolean {
    return !this.ids.includes(id) && !this.probes.includes(id) && !this.doubts.has(id) && !this.limitedIds.includes(id);
  }

  /** Older than its ttl, or invalidated: the next `current` reads it again. */
  stale(now: number): boolean {
    return now - this.readAt >= this.ttlMs;
  }

  async current(tx: QueueTx, now: number): Promise<string[]> {
    if (this.stale(now)) {
      const threshold = Number.isFinite(this.threshold) ? this.threshold : 2 ** 31 - 1;
      const rows = await tx.rows<{ id: string; held: number | string; probing: number | string; limited: number | string }>(
        `SELECT id, CASE WHEN ${HELD} THEN 1 ELSE 0 END AS held, CASE WHEN failure_streak >= ? THEN 1 ELSE 0 END AS probing,
           CASE WHEN rate_limit IS NOT NULL THEN 1 ELSE 0 END AS limited
         FROM destinations WHERE (${HELD} OR failure_streak >= ? OR rate_limit IS NOT NULL) AND deleted_at IS NULL`,
        [now, threshold, now, threshold],
      );
      this.ids = rows.filter((row) => Number(row.held) === 1).map((row) => row.id);
      this.probes = rows.filter((row) => Number(row.held) === 0 && Number(row.probing) === 1).map((row) => row.id);
      this.limitedIds = rows.filter((row) => Number(row.limited) === 1).map((row) => row.id);
      this.doubts.clear();
      this.readAt = now;
      this.generation += 1;
    }
    return this.ids;
  }

  /** As last read: the destinations with a rate limit or max concurrency, whose deliveries wait in their line (claim-limited.ts). */
  get limited(): readonly string[] {
    return this.limitedIds;
  }
}

/**
 * Deliveries of a PAUSED or DISABLED destination, or of one whose breaker is open, wait:
 * nothing is dropped and nothing is sent. Their due time moves forward (by HOLD_MS, or
 * to the end of the breaker's hold) so the claim's index range stays clear of them;
 * re-activating the destination makes them due at once (DestinationService.update).
 * Returns the held destination ids for the claim to skip.
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
    sql: `UPDATE deliveries SET due_at = COALESCE(
            (SELECT circuit_open_until FROM destinations d WHERE d.id = deliveries.destination_id AND d.status = 'ACTIVE'), ?)
          WHERE due_at <= ? AND destination_id IN (
            SELECT id FROM destinations WHERE id IN (${placeholders(ids.length)}) AND ${HELD})`,
    params: [now + HOLD_MS, now, ...ids, now],
  };
}
