import type { MigrationInterface, QueryRunner } from 'typeorm';

const DEFAULT_TENANT = 'tnt_00000000000000000000000000';
/** What belongs to a tenant; each is listed per tenant, newest first, through (tenant_id, id). */
const OWNED = ['destinations', 'webhooks', 'listeners', 'deliveries'];
const EVENT_COLUMNS = 'id, type, entity_id, entity_url, data, idempotency_key, ordering_key, source, "row_number", sync_mode, occurred_at, created_at';
/** The events table; an idempotency key is unique within its tenant (SQLite cannot drop the column's UNIQUE: the table is made anew). */
const eventsTable = (name: string, tenant: boolean) => `CREATE TABLE ${name} (
  id VARCHAR(32) NOT NULL PRIMARY KEY,
  type VARCHAR(200) NOT NULL,
  entity_id VARCHAR(200) NULL,
  entity_url VARCHAR(2048) NULL,
  data TEXT NOT NULL,
  idempotency_key VARCHAR(200) NULL${tenant ? '' : ' UNIQUE'},
  ordering_key VARCHAR(200) NULL,
  source VARCHAR(10) NOT NULL,
  "row_number" INTEGER NULL,
  sync_mode VARCHAR(10) NULL,
  occurred_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL${tenant ? `,\n  tenant_id VARCHAR(32) NOT NULL DEFAULT '${DEFAULT_TENANT}'` : ''}
)`;

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
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX ux_tenants_uid ON tenants (uid)`);
    const now = Date.now();
    await q.query(
      `INSERT INTO tenants (id, uid, name, metadata, status, portal_generation, created_at, updated_at) VALUES (?, 'default', 'Default', '{}', 'ACTIVE', 0, ?, ?)`,
      [DEFAULT_TENANT, now, now],
    );
    for (const table of OWNED) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN tenant_id VARCHAR(32) NOT NULL DEFAULT '${DEFAULT_TENANT}'`);
      await q.query(`CREATE INDEX ix_${table}_tenant ON ${table} (tenant_id, id)`);
    }
    await q.query(eventsTable('events_new', true));
    await q.query(`INSERT INTO events_new (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM events`);
    await q.query(`DROP TABLE events`);
    await q.query(`ALTER TABLE events_new RENAME TO events`);
    await q.query(`CREATE INDEX ix_events_type ON events (type, id)`);
    await q.query(`CREATE INDEX ix_events_tenant ON events (tenant_id, id)`);
    await q.query(`CREATE UNIQUE INDEX uq_events_tenant_idempotency ON events (tenant_id, idempotency_key)`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN tenant_id VARCHAR(32) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN tenant_id`);
    await q.query(eventsTable('events_old', false));
    await q.query(`INSERT INTO events_old (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM events`);
    await q.query(`DROP TABLE events`);
    await q.query(`ALTER TABLE events_old RENAME TO events`);
    await q.query(`CREATE INDEX ix_events_type ON events (type, id)`);
    for (const table of OWNED) {
      await q.query(`DROP INDEX ix_${table}_tenant`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN tenant_id`);
    }
    await q.query(`DROP TABLE tenants`);
  }
}
