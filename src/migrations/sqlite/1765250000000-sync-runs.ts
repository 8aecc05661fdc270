import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sync runs: sync_runs, and on events the run a row belongs to and its own operation
 * (a MIRROR run's delete rows). A MIRROR run finds what to delete through ix_events_run.
 */
export class SyncRuns1765250000000 implements MigrationInterface {
  name = 'SyncRuns1765250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events ADD COLUMN run_id VARCHAR(32) NULL`);
    await q.query(`ALTER TABLE events ADD COLUMN sync_op VARCHAR(10) NULL`);
    await q.query(`CREATE INDEX ix_events_run ON events (run_id, entity_id)`);
    await q.query(
      `CREATE TABLE sync_runs (id VARCHAR(32) NOT NULL PRIMARY KEY, tenant_id VARCHAR(32) NOT NULL, stream VARCHAR(200) NOT NULL,
        mode VARCHAR(10) NOT NULL, entity_id_field VARCHAR(200) NOT NULL, status VARCHAR(12) NOT NULL, row_count INT NOT NULL,
        delete_count INT NOT NULL, delivered INT NOT NULL, failed INT NOT NULL, outcome VARCHAR(10) NULL,
        created_at BIGINT NOT NULL, completed_at BIGINT NULL, finished_at BIGINT NULL)`,
    );
    await q.query(`CREATE INDEX ix_sync_runs_stream ON sync_runs (tenant_id, stream, status)`);
    await q.query(`CREATE INDEX ix_sync_runs_tenant ON sync_runs (tenant_id, id)`);
    await q.query(`CREATE INDEX ix_sync_runs_status ON sync_runs (status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sync_runs`);
    await q.query(`DROP INDEX ix_events_run`);
    await q.query(`ALTER TABLE events DROP COLUMN sync_op`);
    await q.query(`ALTER TABLE events DROP COLUMN run_id`);
  }
}
