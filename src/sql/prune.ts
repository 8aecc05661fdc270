import { placeholders } from './delivery-row';
import type { QueueTx } from './queue-transaction';

/** What a prune deleted. */
export interface Pruned {
  events: number;
  deliveries: number;
  attempts: number;
  /** Requests captured by inbound listeners (their debug capture). */
  listenerRequests: number;
  /** Rows of attempt statistics (one destination's minute or hour each). */
  statsRows: number;
}

export interface PruneEventsInput {
  /** Event ids after this one (the walk's position). */
  after: string;
  /** Event ids before this one (created before the cutoff). */
  before: string;
  /** FAILED deliveries that failed before this time have expired; null: never. */
  failedBefore: number | null;
  limit: number;
}

/**
 * The next `limit` old events after `after`: those whose deliveries have all finished
 * (see Retention) go, with their deliveries and attempts. On MySQL the deliveries are
 * locked before they are judged, so a retry cannot slip in between. `last` is where
 * the walk goes on, null when it is done.
 */
export async function pruneEvents(tx: QueueTx, input: PruneEventsInput): Promise<{ pruned: Pruned; last: string | null }> {
  const none = { events: 0, deliveries: 0, attempts: 0, listenerRequests: 0, statsRows: 0 };
  const events = await tx.rows<{ id: string }>(`SELECT id FROM events WHERE id > ? AND id < ? ORDER BY id LIMIT ?`, [input.after, input.before, input.limit]);
  if (!events.length) return { pruned: none, last: null };
  const ids = events.map((e) => e.id);
  const deliveries = await tx.rows<{ event_id: string; status: string; completed_at: number | string | null }>(
    `SELECT event_id, status, completed_at FROM deliveries WHERE event_id IN (${placeholders(ids.length)})${tx.dialect.forUpdate}`,
    ids,
  );
  const kept = new Set(deliveries.filter((d) => !finished(d, input.failedBefore)).map((d) => d.event_id));
  const gone = ids.filter((id) => !kept.has(id));
  const last = events.length < input.limit ? null : ids[ids.length - 1]!;
  if (!gone.length) return { pruned: none, last };
  const inGone = placeholders(gone.length);
  const [attempts, deliveriesGone, eventsGone] = (await tx.send([
    { sql: `DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IN (${inGone}))`, params: gone },
    { sql: `DELETE FROM deliveries WHERE event_id IN (${inGone})`, params: gone },
    { sql: `DELETE FROM events WHERE id IN (${inGone})`, params: gone },
  ])) as number[];
  return { pruned: { events: eventsGone!, deliveries: deliveriesGone!, attempts: attempts!, listenerRequests: 0, statsRows: 0 }, last };
}

function finished(d: { status: string; completed_at: number | string | null }, failedBefore: number | null): boolean {
  if (d.status === 'SUCCEEDED' || d.status === 'CANCELLED') return true;
  return d.status === 'FAILED' && failedBefore !== null && d.completed_at !== null && Number(d.completed_at) < failedBefore;
}

/** Up to `limit` captured listener requests created before the boundary id; how many went. */
export async function pruneCaptured(tx: QueueTx, before: string, limit: number): Promise<number> {
  const rows = await tx.rows<{ id: string }>(`SELECT id FROM listener_requests WHERE id < ? ORDER BY id LIMIT ?`, [before, limit]);
  if (!rows.length) return 0;
  return tx.run(
    `DELETE FROM listener_requests WHERE id IN (${placeholders(rows.length)})`,
    rows.map((r) => r.id),
  );
}

/** Up to `limit` rows of statistics `table` that start before `before` (epoch ms), oldest first; how many went. */
export async function pruneStats(tx: QueueTx, table: string, before: number, limit: number): Promise<number> {
  const rows = await tx.rows<{ destination_id: string; bucket_start: number | string }>(
    `SELECT destination_id, bucket_start FROM ${table} WHERE bucket_start < ? ORDER BY bucket_start LIMIT ?`,
    [before, limit],
  );
  if (!rows.length) return 0;
  return tx.run(
    `DELETE FROM ${table} WHERE (destination_id, bucket_start) IN (${rows.map(() => '(?, ?)').join(', ')})`,
    rows.flatMap((r) => [r.destination_id, Number(r.bucket_start)]),
  );
}
