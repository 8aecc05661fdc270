import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Listeners1763900000000 implements MigrationInterface {
  name = 'Listeners1763900000000';

  async up(q: QueryRunner): Promise<void> {
    const table = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';
    await q.query(`CREATE TABLE listeners (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      token VARCHAR(64) NOT NULL,
      event_type VARCHAR(200) NULL,
      event_type_path VARCHAR(200) NULL,
      verification TEXT NOT NULL,
      rate_limit TEXT NOT NULL,
      response TEXT NOT NULL,
      capture_until BIGINT NULL,
      sample_data MEDIUMTEXT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      deleted_at BIGINT NULL,
      UNIQUE KEY uq_listeners_token (token),
      KEY ix_listeners_name (name)
    ) ${table}`);
    await q.query(`CREATE TABLE listener_requests (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      listener_id VARCHAR(32) NOT NULL,
      method VARCHAR(8) NOT NULL,
      content_type VARCHAR(200) NULL,
      headers TEXT NOT NULL,
      body MEDIUMTEXT NULL,
      verified TINYINT(1) NOT NULL,
      error VARCHAR(500) NULL,
      response_status_code INT NOT NULL,
      event_id VARCHAR(32) NULL,
      created_at BIGINT NOT NULL,
      KEY ix_listener_requests_listener (listener_id, id)
    ) ${table}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE listener_requests');
    await q.query('DROP TABLE listeners');
  }
}
