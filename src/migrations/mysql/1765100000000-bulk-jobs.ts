import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * bulk_jobs: durable bulk operations (retry, recover, replay; see domain/job/). A runner
 * claims a QUEUED job, or a RUNNING one whose lease expired, through (status, lease_expires_at).
 */
export class BulkJobs1765100000000 implements MigrationInterface {
  name = 'BulkJobs1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE bulk_jobs (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      tenant_id VARCHAR(32) NULL,
      kind VARCHAR(16) NOT NULL,
      params TEXT NOT NULL,
      status VARCHAR(16) NOT NULL,
      total INT NOT NULL,
      done INT NOT NULL,
      \`cursor\` VARCHAR(64) NULL,
      lease_owner VARCHAR(64) NULL,
      lease_expires_at BIGINT NULL,
      error VARCHAR(1000) NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      INDEX ix_bulk_jobs_claim (status, lease_expires_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bulk_jobs`);
  }
}
