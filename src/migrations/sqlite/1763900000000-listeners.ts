import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Listeners1763900000000 implements MigrationInterface {
  name = 'Listeners1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE listeners (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      token VARCHAR(64) NOT NULL UNIQUE,
      event_type VARCHAR(200) NULL,
      event_type_path VARCHAR(200) NULL,
      verification TEXT NOT NULL,
      rate_limit TEXT NOT NULL,
      response TEXT NOT NULL,
      capture_until BIGINT NULL,
      sample_data TEXT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      deleted_at BIGINT NULL
    )`);
    await q.query('CREATE INDEX ix_listeners_name ON listeners (name)');
    await q.query(`CREATE TABLE listener_requests (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      listener_id VARCHAR(32) NOT NULL,
      method VARCHAR(8) NOT NULL,
      content_type VARCHAR(200) NULL,
      headers TEXT NOT NULL,
      body TEXT NULL,
      verified BOOLEAN NOT NULL,
      error VARCHAR(500) NULL,
      response_status_code INTEGER NOT NULL,
      event_id VARCHAR(32) NULL,
      created_at BIGINT NOT NULL
    )`);
    await q.query('CREATE INDEX ix_listener_requests_listener ON listener_requests (listener_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE listener_requests');
    await q.query('DROP TABLE listeners');
  }
}
