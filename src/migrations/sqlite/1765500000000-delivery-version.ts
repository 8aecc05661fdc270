import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * version: how many times the delivery's row has changed since its insert. Every UPDATE
 * of a delivery adds one, so processes whose clocks differ still agree on which of two
 * announced changes is the later (graphql/realtime/latest-versions.ts).
 */
export class DeliveryVersion1765500000000 implements MigrationInterface {
  name = 'DeliveryVersion1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN version INTEGER NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP COLUMN version`);
  }
}
