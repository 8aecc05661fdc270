import type { MinuteRollup } from '../domain/stats/minute-rollup';
import type { Dialect } from './dialect';
import type { Statement } from './queue-transaction';
import { COUNT_COLUMNS, STATS_TABLE } from './stats-columns';

const KEYS = ['destination_id', 'bucket_start'];
const COLUMNS = [...KEYS, 'tenant_id', ...COUNT_COLUMNS];

/**
 * A batch's attempts added to the statistics, one row per destination and minute, sent
 * in the batch's transaction: the counts move exactly when the attempts are stored, and
 * a batch written again after a lost acknowledgement (completion-writer.ts) is found
 * by its attempts before it could count twice.
 */
export function addStatsStatements(dialect: Dialect, rollups: readonly MinuteRollup[]): Statement[] {
  if (!rollups.length) return [];
  const rows = rollups.map((r) => [r.destinationId, r.minute, r.tenantId, r.attempts, r.successes, r.failures, ...r.latency]);
  return dialect.insertAdding(STATS_TABLE, COLUMNS, KEYS, COUNT_COLUMNS, rows);
}
