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
      total INTEGER NOT NULL,
      done INTEGER NOT NULL,
      "cursor" VARCHAR(64) NULL,
      lease_owner VARCHAR(64) NULL,
      lease_expires_at BIGINT NULL,
      error VARCHAR(1000) NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE INDEX ix_bulk_jobs_claim ON bulk_jobs (status, lease_expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bulk_jobs`);
  }
}
