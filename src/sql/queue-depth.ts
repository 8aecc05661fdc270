import type { QueueTx } from './queue-transaction';

/** Due deliveries counted at most: past it the gauge says "at least this many" at a bounded cost. */
export const MAX_COUNTED_DUE = 100_000;

export interface QueueDepth {
  /** Deliveries due now (not leased, not waiting in a line), up to MAX_COUNTED_DUE. */
  due: number;
  /** The due time of the oldest of them (epoch ms), or null when none is due. */
  oldestDueAt: number | null;
  /** Destinations whose circuit breaker holds their deliveries now. */
  breakersOpen: number;
}

/**
 * What the queue's gauges show, read through ix_deliveries_due (MIN reads its first
 * entry; the count stops at MAX_COUNTED_DUE) and the small destinations table.
 */
export async function queueDepth(tx: QueueTx, now: number): Promise<QueueDepth> {
  const [due] = await tx.rows<{ n: number | string }>(`SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM deliveries WHERE due_at <= ? LIMIT ?) q`, [
    now,
    MAX_COUNTED_DUE,
  ]);
  const [oldest] = await tx.rows<{ at: number | string | null }>(`SELECT MIN(due_at) AS at FROM deliveries WHERE due_at <= ?`, [now]);
  const [open] = await tx.rows<{ n: number | string }>(`SELECT COUNT(*) AS n FROM destinations WHERE circuit_open_until > ? AND deleted_at IS NULL`, [now]);
  return { due: Number(due?.n ?? 0), oldestDueAt: oldest?.at == null ? null : Number(oldest.at), breakersOpen: Number(open?.n ?? 0) };
}
