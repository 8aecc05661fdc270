import type { MigrationInterface, QueryRunner } from 'typeorm';

const DEFAULT_TENANT = 'tnt_00000000000000000000000000';
/** What belongs to a tenant; each is listed per tenant, newest first, through (tenant_id, id). */
const OWNED = ['destinations', 'webhooks', 'listeners', 'events', 'deliveries'];

/**
 * Tenants: the default one, which everything that exists already belongs to, and a
 * tenant_id on what a tenant owns (an API key's is null for a key of the whole
 * installation). Attempts and captured requests belong to their delivery's and
 * listener's tenant.
 */
export class Tenants1764700000000 implements MigrationInterface {
  name = 'Tenants1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tenants (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      uid VARCHAR(128) NOT NULL,
      name VARCHAR(200) NOT NULL,
      metadata TEXT NOT NULL,
      status VARCHAR(16) NOT NULL,
      portal_generation INT NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX ux_tenants_uid ON tenants (uid)`);
    const now = Date.now();
    await q.query(
      `INSERT INTO tenants (id, uid, name, metadata, status, portal_generation, created_at, updated_at) VALUES (?, 'default', 'Default', '{}', 'ACTIVE', 0, ?, ?)`,
      [DEFAULT_TENANT, now, now],
    );
    for (const table of OWNED) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN tenant_id VARCHAR(32) NOT NULL DEFAULT '${DEFAULT_TENANT}'`);
      await q.query(`ALTER TABLE ${table} ADD KEY ix_${table}_tenant (tenant_id, id)`);
    }
    // An idempotency key is unique within its tenant.
    await q.query(`ALTER TABLE events DROP KEY uq_events_idempotency_key, ADD UNIQUE KEY uq_events_tenant_idempotency (tenant_id, idempotency_key)`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN tenant_id VARCHAR(32) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN tenant_id`);
    await q.query(`ALTER TABLE events DROP KEY uq_events_tenant_idempotency, ADD UNIQUE KEY uq_events_idempotency_key (idempotency_key)`);
    for (const table of OWNED) {
      await q.query(`ALTER TABLE ${table} DROP KEY ix_${table}_tenant`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN tenant_id`);
    }
    await q.query(`DROP TABLE tenants`);
  }
}
