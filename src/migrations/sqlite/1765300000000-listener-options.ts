import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Listener options: a description, the event type from a header, a dedupe key, a
 * resource path; listener_dedupe keeps the keys seen in the last 24 hours with their answers.
 */
export class ListenerOptions1765300000000 implements MigrationInterface {
  name = 'ListenerOptions1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listeners ADD COLUMN description VARCHAR(1000) NULL`);
    await q.query(`ALTER TABLE listeners ADD COLUMN event_type_header VARCHAR(100) NULL`);
    await q.query(`ALTER TABLE listeners ADD COLUMN dedupe TEXT NULL`);
    await q.query(`ALTER TABLE listeners ADD COLUMN resource_path VARCHAR(200) NULL`);
    await q.query(
      `CREATE TABLE listener_dedupe (listener_id VARCHAR(32) NOT NULL, key_hash VARCHAR(64) NOT NULL, status_code INT NOT NULL,
        content_type VARCHAR(200) NULL, body TEXT NULL, event_ids TEXT NOT NULL, created_at BIGINT NOT NULL,
        PRIMARY KEY (listener_id, key_hash))`,
    );
    await q.query(`CREATE INDEX listener_dedupe_age ON listener_dedupe (listener_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE listener_dedupe`);
    for (const column of ['description', 'event_type_header', 'dedupe', 'resource_path']) await q.query(`ALTER TABLE listeners DROP COLUMN ${column}`);
  }
}
