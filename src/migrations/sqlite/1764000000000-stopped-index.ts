import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * As on MySQL (see its migration): the index on (status, id), which changed at every
 * claim and every success, gives way to a partial index of the FAILED and CANCELLED
 * deliveries, which the claim and a success leave alone, so that both databases answer a
 * status filter with the same queries (delivery-status-filter.ts).
 */
export class StoppedIndex1764000000000 implements MigrationInterface {
  name = 'StoppedIndex1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_deliveries_status`);
    await q.query(`CREATE INDEX ix_deliveries_stopped ON deliveries (status, id) WHERE status IN ('FAILED', 'CANCELLED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_deliveries_stopped`);
    await q.query(`CREATE INDEX ix_deliveries_status ON deliveries (status, id)`);
  }
}
