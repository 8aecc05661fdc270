import type { MigrationInterface, QueryRunner } from 'typeorm';
import { hashListenerTokens, restoreListenerTokens } from '../listener-tokens';

/**
 * Listener URL tokens are stored as SHA-256 hashes (`token_hash`, unique: requests are
 * found by it); `url_token` is what a listener's URL shows: the token, or for a secret
 * URL its hint. The plain `token` column goes.
 */
export class ListenerTokenHash1764600000000 implements MigrationInterface {
  name = 'ListenerTokenHash1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listeners ADD COLUMN token_hash VARCHAR(64) NULL AFTER name, ADD COLUMN url_token VARCHAR(64) NULL AFTER token_hash`);
    await hashListenerTokens(q);
    await q.query(`ALTER TABLE listeners
      DROP KEY uq_listeners_token, DROP COLUMN token,
      MODIFY token_hash VARCHAR(64) NOT NULL, MODIFY url_token VARCHAR(64) NOT NULL,
      ADD UNIQUE KEY uq_listeners_token_hash (token_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listeners ADD COLUMN token VARCHAR(64) NULL AFTER name`);
    await restoreListenerTokens(q);
    await q.query(`ALTER TABLE listeners
      DROP KEY uq_listeners_token_hash, DROP COLUMN token_hash, DROP COLUMN url_token,
      MODIFY token VARCHAR(64) NOT NULL, ADD UNIQUE KEY uq_listeners_token (token)`);
  }
}
