import type { MigrationInterface, QueryRunner } from 'typeorm';

/** ix_bulk_jobs_updated: the jobs changed since a time, which each process reads while someone follows a job without Redis (job-progress-watch.ts). */
export class BulkJobsUpdatedIndex1765600000000 implements MigrationInterface {
  name = 'BulkJobsUpdatedIndex1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_bulk_jobs_updated ON bulk_jobs (updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_bulk_jobs_updated ON bulk_jobs`);
  }
}
