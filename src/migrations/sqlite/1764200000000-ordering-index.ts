import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ordering keys: the claim looks for an earlier unfinished delivery of the same webhook and key (claim-due.ts). Only keyed deliveries enter it. */
export class OrderingIndex1764200000000 implements MigrationInterface {
  name = 'OrderingIndex1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_deliveries_ordering ON deliveries (webhook_id, ordering_key, id) WHERE ordering_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_deliveries_ordering`);
  }
}
