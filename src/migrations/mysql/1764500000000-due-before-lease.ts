import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * due_before_lease: the due time a delivery had when it was leased (claimed, or handed
 * off at publish), so that one whose lease expired (its worker died) goes back to its
 * place in the queue instead of behind everything that came due during the lease.
 */
export class DueBeforeLease1764500000000 implements MigrationInterface {
  name = 'DueBeforeLease1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN due_before_lease BIGINT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP COLUMN due_before_lease`);
  }
}
