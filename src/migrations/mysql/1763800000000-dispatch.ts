import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * round_base: attempt_count when the current round of attempts began (creation, or an
 * operator's retry). maxAttempts counts attempts since then, so a manual retry of a
 * FAILED delivery gets a fresh round while attempt_count keeps counting every attempt.
 */
export class Dispatch1763800000000 implements MigrationInterface {
  name = 'Dispatch1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN round_base INT NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP COLUMN round_base`);
  }
}
