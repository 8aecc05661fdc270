import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ordering keys: the claim looks for an earlier unfinished delivery of the same webhook and key (claim-due.ts). */
export class OrderingIndex1764200000000 implements MigrationInterface {
  name = 'OrderingIndex1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD KEY ix_deliveries_ordering (webhook_id, ordering_key, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP KEY ix_deliveries_ordering`);
  }
}
