import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The index on (status, id) changed twice per delivery, at the claim (→ IN_FLIGHT) and
 * at the completion (→ SUCCEEDED): two index entries moved, on MariaDB's side of every
 * delivery, for a filter that is rarely asked. It gives way to
 * an index that only FAILED and CANCELLED deliveries enter, the ones a status filter
 * looks for among many: a virtual column that is NULL for every other status, so the
 * claim and a success leave the index alone. Open deliveries are listed through
 * ix_deliveries_due; SUCCEEDED are most rows (see delivery-status-filter.ts).
 */
export class StoppedIndex1764000000000 implements MigrationInterface {
  name = 'StoppedIndex1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries
      ADD COLUMN stopped_status VARCHAR(16) GENERATED ALWAYS AS (CASE WHEN status IN ('FAILED', 'CANCELLED') THEN status END) VIRTUAL,
      ADD KEY ix_deliveries_stopped (stopped_status, id),
      DROP KEY ix_deliveries_status`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD KEY ix_deliveries_status (status, id), DROP KEY ix_deliveries_stopped, DROP COLUMN stopped_status`);
  }
}
