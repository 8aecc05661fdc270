import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every process looks for tenants changed since its last look (a revoked portal, a
 * deletion begun; domain/portal/portal-watch.ts), once a second without Redis: through
 * this index the look reads what changed, not every tenant.
 */
export class TenantsUpdatedIndex1764900000000 implements MigrationInterface {
  name = 'TenantsUpdatedIndex1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_tenants_updated ON tenants (updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_tenants_updated`);
  }
}
