import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Latency bucket floors in ms, as this migration made them: 0, then 1, 2, 4 … 65536. */
const LATENCY_FLOORS = [0, ...Array.from({ length: 17 }, (_, i) => 2 ** i)];

/** The two tables, by the span their rows count. */
const TABLES = ['destination_stats_minute', 'destination_stats_hour'];

/**
 * Attempts per destination and minute, and per destination and hour
 * (sql/stats-columns.ts), added to as results are written, so statistics are read from
 * a few rows per destination and never counted from the attempts. Tenant.stats reads a
 * tenant's rows through (tenant_id, bucket_start); retention drops old ones through
 * (bucket_start).
 */
export class DestinationStats1765000000000 implements MigrationInterface {
  name = 'DestinationStats1765000000000';

  async up(q: QueryRunner): Promise<void> {
    const counts = ['attempts', 'successes', 'failures', ...LATENCY_FLOORS.map((floor) => `ms_${floor}`)];
    for (const table of TABLES) {
      await q.query(`CREATE TABLE ${table} (
        destination_id VARCHAR(32) NOT NULL,
        bucket_start BIGINT NOT NULL,
        tenant_id VARCHAR(32) NOT NULL,
        ${counts.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (destination_id, bucket_start)
      ) WITHOUT ROWID`);
      await q.query(`CREATE INDEX ix_${table}_tenant ON ${table} (tenant_id, bucket_start)`);
      await q.query(`CREATE INDEX ix_${table}_bucket ON ${table} (bucket_start)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`DROP TABLE ${table}`);
  }
}
