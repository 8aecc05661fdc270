import type { MigrationInterface, QueryRunner } from 'typeorm';

/** As on MySQL (see its migration): no query reads attempts by their creation time. */
export class AttemptsCreatedIndex1764400000000 implements MigrationInterface {
  name = 'AttemptsCreatedIndex1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_attempts_created`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_attempts_created ON delivery_attempts (created_at)`);
  }
}
