import type { MigrationInterface, QueryRunner } from 'typeorm';

/** payload_format: the wire format of a webhook's requests (payload-format.ts). */
export class PayloadFormat1765200000000 implements MigrationInterface {
  name = 'PayloadFormat1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhooks ADD COLUMN payload_format VARCHAR(16) NOT NULL DEFAULT 'HOOKGRAPH'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhooks DROP COLUMN payload_format`);
  }
}
