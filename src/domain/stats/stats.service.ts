import type { Database } from '../../database/database';
import { readStats, type StatsBucketRow, type StatsOwner } from '../../sql/read-stats';
import { emptyHistogram, percentileMs } from './latency-histogram';
import { statsReads, statsWindow } from './stats-window';

/** Counts of attempts and their latency, over a window or one bucket of it. */
export interface StatsCounts {
  attempts: number;
  successes: number;
  failures: number;
  /** successes / attempts; null without attempts. */
  successRate: number | null;
  /** Estimated from the latency histogram (within a factor of two); null without attempts. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface StatsBucket extends StatsCounts {
  start: Date;
}

export interface Stats extends StatsCounts {
  /** Size of the series' buckets. */
  bucketMs: number;
  /** Every bucket of the window, in time order, those without attempts too. */
  series: StatsBucket[];
}

/**
 * Attempt statistics of a destination or a tenant, read from the per-minute and per-hour
 * rows the completion writer adds to (sql/add-stats.ts), never from the attempts.
 * Whose they may be is the caller's to check.
 */
export class StatsService {
  constructor(private readonly db: Database) {}

  forDestination(destinationId: string, since: Date, until: Date): Promise<Stats> {
    return this.read({ destinationId }, since, until);
  }

  forTenant(tenantId: string, since: Date, until: Date): Promise<Stats> {
    return this.read({ tenantId }, since, until);
  }

  private async read(owner: StatsOwner, since: Date, until: Date): Promise<Stats> {
    const window = statsWindow(since, until);
    const rows = new Map<number, StatsBucketRow>();
    for (const read of statsReads(window)) {
      for (const row of await readStats(this.db, owner, read.spanMs, read.from, read.until, window.bucketMs)) {
        const earlier = rows.get(row.start);
        rows.set(row.start, earlier ? add(earlier, row) : row);
      }
    }
    const series = window.bucketStarts.map((start) => ({ start: new Date(start), ...counts(rows.get(start) ?? emptyRow(start)) }));
    const total = [...rows.values()].reduce(add, emptyRow(window.from));
    return { ...counts(total), bucketMs: window.bucketMs, series };
  }
}

function emptyRow(start: number): StatsBucketRow {
  return { start, attempts: 0, successes: 0, failures: 0, latency: emptyHistogram() };
}

function add(sum: StatsBucketRow, row: StatsBucketRow): StatsBucketRow {
  return {
    start: sum.start,
    attempts: sum.attempts + row.attempts,
    successes: sum.successes + row.successes,
    failures: sum.failures + row.failures,
    latency: sum.latency.map((n, i) => n + row.latency[i]!),
  };
}

function counts(row: StatsBucketRow): StatsCounts {
  return {
    attempts: row.attempts,
    successes: row.successes,
    failures: row.failures,
    successRate: row.attempts ? row.successes / row.attempts : null,
    p50Ms: percentileMs(row.latency, 0.5),
    p95Ms: percentileMs(row.latency, 0.95),
  };
}
