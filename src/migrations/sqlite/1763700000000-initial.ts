import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1763700000000 implements MigrationInterface {
  name = 'Initial1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE api_keys (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      role VARCHAR(10) NOT NULL,
      key_hash CHAR(64) NOT NULL UNIQUE,
      key_hint VARCHAR(16) NOT NULL,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT NULL
    )`);
    await q.query(`CREATE TABLE destinations (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      url VARCHAR(2048) NOT NULL,
      method VARCHAR(8) NOT NULL,
      format VARCHAR(20) NOT NULL,
      timeout_ms INTEGER NOT NULL,
      headers TEXT NOT NULL,
      auth_type VARCHAR(10) NOT NULL,
      auth_username VARCHAR(200) NULL,
      auth_secret_sealed TEXT NULL,
      auth_secret_hint VARCHAR(16) NULL,
      signing_secret_sealed TEXT NOT NULL,
      signing_secret_hint VARCHAR(16) NOT NULL,
      previous_secret_sealed TEXT NULL,
      previous_secret_expires_at BIGINT NULL,
      custom_hmac TEXT NULL,
      retry_policy TEXT NOT NULL,
      rate_limit TEXT NULL,
      status VARCHAR(10) NOT NULL,
      status_reason VARCHAR(500) NULL,
      status_changed_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      deleted_at BIGINT NULL
    )`);
    await q.query(`CREATE INDEX ix_destinations_name ON destinations (name)`);
    await q.query(`CREATE TABLE webhooks (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      destination_id VARCHAR(32) NOT NULL,
      event_types TEXT NOT NULL,
      filter TEXT NULL,
      include_entity BOOLEAN NOT NULL,
      field_mapping TEXT NOT NULL,
      sync_mode VARCHAR(10) NULL,
      enabled BOOLEAN NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      deleted_at BIGINT NULL
    )`);
    await q.query(`CREATE INDEX ix_webhooks_name ON webhooks (name)`);
    await q.query(`CREATE INDEX ix_webhooks_destination ON webhooks (destination_id, id)`);
    await q.query(`CREATE TABLE events (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      type VARCHAR(200) NOT NULL,
      entity_id VARCHAR(200) NULL,
      entity_url VARCHAR(2048) NULL,
      data TEXT NOT NULL,
      idempotency_key VARCHAR(200) NULL UNIQUE,
      ordering_key VARCHAR(200) NULL,
      source VARCHAR(10) NOT NULL,
      "row_number" INTEGER NULL,
      sync_mode VARCHAR(10) NULL,
      occurred_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE INDEX ix_events_type ON events (type, id)`);
    await q.query(`CREATE TABLE deliveries (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      event_id VARCHAR(32) NOT NULL,
      webhook_id VARCHAR(32) NOT NULL,
      destination_id VARCHAR(32) NOT NULL,
      event_type VARCHAR(200) NOT NULL,
      status VARCHAR(16) NOT NULL,
      "trigger" VARCHAR(16) NOT NULL,
      attempt_count INTEGER NOT NULL,
      due_at BIGINT NULL,
      lease_owner VARCHAR(64) NULL,
      ordering_key VARCHAR(200) NULL,
      last_status_code INTEGER NULL,
      last_error VARCHAR(1000) NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      completed_at BIGINT NULL
    )`);
    await q.query(`CREATE INDEX ix_deliveries_due ON deliveries (due_at) WHERE due_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_deliveries_event ON deliveries (event_id)`);
    await q.query(`CREATE INDEX ix_deliveries_webhook ON deliveries (webhook_id, id)`);
    await q.query(`CREATE INDEX ix_deliveries_destination ON deliveries (destination_id, id)`);
    await q.query(`CREATE INDEX ix_deliveries_status ON deliveries (status, id)`);
    await q.query(`CREATE INDEX ix_deliveries_created ON deliveries (created_at)`);
    await q.query(`CREATE TABLE delivery_attempts (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      delivery_id VARCHAR(32) NOT NULL,
      attempt_number INTEGER NOT NULL,
      request_method VARCHAR(8) NOT NULL,
      request_url TEXT NOT NULL,
      request_headers TEXT NOT NULL,
      request_body TEXT NULL,
      response_status_code INTEGER NULL,
      response_headers TEXT NULL,
      response_body TEXT NULL,
      response_truncated BOOLEAN NOT NULL,
      duration_ms INTEGER NOT NULL,
      outcome VARCHAR(20) NOT NULL,
      error VARCHAR(1000) NULL,
      created_at BIGINT NOT NULL
    )`);
    await q.query(`CREATE INDEX ix_attempts_delivery ON delivery_attempts (delivery_id, id)`);
    await q.query(`CREATE INDEX ix_attempts_created ON delivery_attempts (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['delivery_attempts', 'deliveries', 'events', 'webhooks', 'destinations', 'api_keys']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
