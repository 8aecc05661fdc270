import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The circuit breaker's state per destination (see sql/destination-health.ts). */
export class CircuitBreaker1764100000000 implements MigrationInterface {
  name = 'CircuitBreaker1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE destinations
      ADD COLUMN failure_streak INT NOT NULL DEFAULT 0,
      ADD COLUMN failing_since BIGINT NULL,
      ADD COLUMN circuit_open_until BIGINT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE destinations DROP COLUMN failure_streak, DROP COLUMN failing_since, DROP COLUMN circuit_open_until`);
  }
}
