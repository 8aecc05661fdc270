import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * As on MySQL (see its migration): the destination's pace, and a partial index of the
 * deliveries waiting in their destination's line (due_at = IN_LINE, domain/delivery/waiting.ts).
 */
export class DestinationLines1764300000000 implements MigrationInterface {
  name = 'DestinationLines1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE destinations ADD COLUMN pace_at REAL NULL`);
    await q.query(`CREATE INDEX ix_deliveries_line ON deliveries (destination_id, id) WHERE due_at = 253402300799000`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_deliveries_line`);
    await q.query(`ALTER TABLE destinations DROP COLUMN pace_at`);
  }
}
