import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-destination rate limits and max concurrency (see sql/claim-line.ts):
 * the destination's pace (the time its token bucket is paid up to), and the line its
 * deliveries wait in. A delivery in line has due_at = IN_LINE (domain/delivery/waiting.ts);
 * the index holds only those rows (a virtual column that is NULL for every other row),
 * so the claim and the completion of any other delivery leave it alone.
 */
export class DestinationLines1764300000000 implements MigrationInterface {
  name = 'DestinationLines1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE destinations ADD COLUMN pace_at DOUBLE NULL`);
    await q.query(`ALTER TABLE deliveries
      ADD COLUMN line_destination VARCHAR(32) GENERATED ALWAYS AS (CASE WHEN due_at = 253402300799000 THEN destination_id END) VIRTUAL,
      ADD KEY ix_deliveries_line (line_destination, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP KEY ix_deliveries_line, DROP COLUMN line_destination`);
    await q.query(`ALTER TABLE destinations DROP COLUMN pace_at`);
  }
}
