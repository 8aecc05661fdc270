import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Latency bucket floors in ms, as this migration made them: 0, then 1, 2, 4 … 65536. */
const LATENCY_FLOORS = [0, ...Array.from({ length: 17 }, (_, i) => 2 ** i)];

/**
 * destination_stats: attempts per destination and minute (sql/stats-columns.ts), added
 * to as results are written, so statistics are read from a few rows per destination and
 * never counted from the attempts. Tenant.stats reads a tenant's rows through
 * (tenant_id, bucket_start); retention drops old minutes through (bucket_start).
 */
export class DestinationStats1765000000000 implements MigrationInterface {
  name = 'DestinationStats1765000000000';

  async up(q: QueryRunner): Promise<void> {
    const counts = ['attempts', 'successes', 'failures', ...LATENCY_FLOORS.map((floor) => `ms_${floor}`)];
    await q.query(`CREATE TABLE destination_stats (
      destination_id VARCHAR(32) NOT NULL,
      bucket_start BIGINT NOT NULL,
      tenant_id VARCHAR(32) NOT NULL,
      ${counts.map((c) => `${c} INT NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (destination_id, bucket_start)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await q.query(
      `ALTER TABLE destination_stats ADD KEY ix_destination_stats_tenant (tenant_id, bucket_start), ADD KEY ix_destination_stats_bucket (bucket_start)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE destination_stats`);
  }
}
