import type { MigrationInterface, QueryRunner } from 'typeorm';
import { hashListenerTokens, restoreListenerTokens } from '../listener-tokens';

/** The listeners table with every column but the token's, which each direction adds. */
const listenersTable = (name: string, tokenColumns: string) => `CREATE TABLE ${name} (
  id VARCHAR(32) NOT NULL PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  ${tokenColumns},
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
)`;
const OTHER_COLUMNS =
  'id, name, event_type, event_type_path, verification, rate_limit, response, capture_until, sample_data, created_at, updated_at, deleted_at';

/**
 * As on MySQL (see its migration): tokens as hashes. SQLite cannot drop a UNIQUE column,
 * so the table is made anew with the new columns and the rows copied into it.
 */
export class ListenerTokenHash1764600000000 implements MigrationInterface {
  name = 'ListenerTokenHash1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listeners ADD COLUMN token_hash VARCHAR(64) NULL`);
    await q.query(`ALTER TABLE listeners ADD COLUMN url_token VARCHAR(64) NULL`);
    await hashListenerTokens(q);
    await rebuild(q, 'token_hash VARCHAR(64) NOT NULL UNIQUE, url_token VARCHAR(64) NOT NULL', 'token_hash, url_token');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listeners ADD COLUMN token VARCHAR(64) NULL`);
    await restoreListenerTokens(q);
    await rebuild(q, 'token VARCHAR(64) NOT NULL UNIQUE', 'token');
  }
}

async function rebuild(q: QueryRunner, tokenColumns: string, tokenNames: string): Promise<void> {
  await q.query(listenersTable('listeners_next', tokenColumns));
  await q.query(`INSERT INTO listeners_next (${OTHER_COLUMNS}, ${tokenNames}) SELECT ${OTHER_COLUMNS}, ${tokenNames} FROM listeners`);
  await q.query(`DROP TABLE listeners`);
  await q.query(`ALTER TABLE listeners_next RENAME TO listeners`);
  await q.query(`CREATE INDEX ix_listeners_name ON listeners (name)`);
}
