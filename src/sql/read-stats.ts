import type { Database } from '../database/database';
import type { StatsSpanMs } from '../domain/stats/stats-rollup';
import { COUNT_COLUMNS, LATENCY_COLUMNS, statsTable } from './stats-columns';

/** Whose statistics: one destination's, or every destination's of a tenant. */
export type StatsOwner = { destinationId: string } | { tenantId: string };

/** The summed counts of one bucket of a series. */
export interface StatsBucketRow {
  /** Epoch ms of the bucket's start (a multiple of its size). */
  start: number;
  attempts: number;
  successes: number;
  failures: number;
  latency: number[];
}

/**
 * The rows of one span (minutes or hours) that start from `from` up to `until` (epoch
 * ms), summed into buckets of `bucketMs`: only buckets with attempts, in time order. A
 * destination's are read through the primary key, a tenant's through (tenant_id,
 * bucket_start): one row per destination and span, whatever the number of attempts.
 */
export async function readStats(db: Database, owner: StatsOwner, span: StatsSpanMs, from: number, until: number, bucketMs: number): Promise<StatsBucketRow[]> {
  const [column, id] = 'destinationId' in owner ? ['destination_id', owner.destinationId] : ['tenant_id', owner.tenantId];
  const rows = await db.read<Record<string, number | string>>({
    sql: `SELECT bucket_start - bucket_start % ? AS bucket, ${COUNT_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ')}
          FROM ${statsTable(span)} WHERE ${column} = ? AND bucket_start >= ? AND bucket_start < ?
          GROUP BY bucket ORDER BY bucket`,
    params: [bucketMs, id, from, until],
  });
  return rows.map((r) => ({
    start: Number(r.bucket),
    attempts: Number(r.attempts),
    successes: Number(r.successes),
    failures: Number(r.failures),
    latency: LATENCY_COLUMNS.map((c) => Number(r[c])),
  }));
}
