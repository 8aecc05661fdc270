import { rollUp, STATS_SPANS_MS, type CountedAttempt } from '../domain/stats/stats-rollup';
import type { Dialect } from './dialect';
import type { Statement } from './queue-transaction';
import { COUNT_COLUMNS, statsTable } from './stats-columns';

const KEYS = ['destination_id', 'bucket_start'];
const COLUMNS = [...KEYS, 'tenant_id', ...COUNT_COLUMNS];

/**
 * A batch's attempts added to the statistics, one row per destination and minute and
 * one per destination and hour, sent in the batch's transaction: the counts move
 * exactly when the attempts are stored, and a batch written again after a lost
 * acknowledgement (completion-writer.ts) is found by its attempts before it could
 * count twice.
 */
export function addStatsStatements(dialect: Dialect, attempts: readonly CountedAttempt[]): Statement[] {
  if (!attempts.length) return [];
  return STATS_SPANS_MS.flatMap((span) => {
    const rows = rollUp(attempts, span).map((r) => [r.destinationId, r.start, r.tenantId, r.attempts, r.successes, r.failures, ...r.latency]);
    return dialect.insertAdding(statsTable(span), COLUMNS, KEYS, COUNT_COLUMNS, rows);
  });
}
