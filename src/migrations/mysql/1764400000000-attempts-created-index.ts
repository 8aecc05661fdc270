import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * No query reads attempts by their creation time: they are listed by delivery and pruned
 * with their event (ix_attempts_delivery). The index cost an entry per attempt.
 */
export class AttemptsCreatedIndex1764400000000 implements MigrationInterface {
  name = 'AttemptsCreatedIndex1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_attempts DROP KEY ix_attempts_created`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_attempts ADD KEY ix_attempts_created (created_at)`);
  }
}
