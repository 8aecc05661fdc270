import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../src/database/database';
import type { DeliveryStatus } from '../../src/domain/delivery/delivery.entity';
import { DeliveryService } from '../../src/domain/delivery/delivery.service';
import { Signals } from '../../src/domain/common/signals';
import { databaseKinds, freshDatabase, MYSQL_SKIP_MESSAGE, type FreshDatabase } from '../support/databases';
import { EVERY_TENANT } from '../../src/domain/tenant/scope';

/**
 * Deliveries have no index on their status (it would change at every claim and every
 * success): a status filter reads ix_deliveries_stopped or ix_deliveries_due instead, as
 * delivery-status-filter.ts words it. The plans of the service's own query, ordered and
 * limited as a page is, are read from the database itself, on a table where reading in
 * id order would be the slow way.
 */
for (const kind of databaseKinds()) {
  describe(`${kind}: the delivery status filter`, () => {
    let fresh: FreshDatabase;
    let db: Database;

    before(async () => {
      fresh = await freshDatabase(kind);
      db = await Database.open(fresh.config);
      await db.migrate();
      // 4,000 deliveries: 1 in 100 FAILED, 1 in 400 CANCELLED, 1 in 200 PENDING (due), the rest SUCCEEDED.
      const trigger = kind === 'mysql' ? '`trigger`' : '"trigger"';
      for (let start = 0; start < 4000; start += 500) {
        const params: unknown[] = [];
        for (let n = start; n < start + 500; n++) {
          const status = n % 100 === 0 ? 'FAILED' : n % 400 === 7 ? 'CANCELLED' : n % 200 === 3 ? 'PENDING' : 'SUCCEEDED';
          params.push(`dlv_${String(n).padStart(8, '0')}`, status, status === 'PENDING' ? n : null, n, n);
        }
        await db.dataSource.query(
          `INSERT INTO deliveries (id, event_id, webhook_id, destination_id, event_type, status, ${trigger}, attempt_count, due_at, created_at, updated_at)
           VALUES ${Array.from({ length: 500 }, () => `(?, 'evt_x', 'whk_x', 'dst_x', 't', ?, 'AUTOMATIC', 1, ?, ?, ?)`).join(', ')}`,
          params,
        );
      }
      await db.dataSource.query(kind === 'mysql' ? 'ANALYZE TABLE deliveries' : 'ANALYZE');
    });
    after(async () => {
      await db.close();
      await fresh.drop();
    });

    /** The index a status-filtered page reads, and the ids it returns. */
    async function page(statuses: DeliveryStatus[]): Promise<{ index: string; ids: string[] }> {
      const query = new DeliveryService(db, new Signals()).filtered({ status: statuses }, EVERY_TENANT).orderBy('d.id', 'DESC').take(20);
      const [sql, params] = query.getQueryAndParameters();
      const plan = (await db.dataSource.query(`${kind === 'mysql' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${sql}`, params)) as Record<string, unknown>[];
      const index =
        kind === 'mysql'
          ? String(plan[0]!.key)
          : String(
              plan
                .map((row) => row.detail)
                .join('; ')
                .match(/INDEX (\w+)/)?.[1] ?? plan[0]!.detail,
            );
      return { index, ids: (await query.getMany()).map((d) => d.id) };
    }

    it('finds FAILED and CANCELLED deliveries through ix_deliveries_stopped', async () => {
      const failed = await page(['FAILED']);
      assert.equal(failed.index, 'ix_deliveries_stopped');
      assert.deepEqual(failed.ids.slice(0, 2), ['dlv_00003900', 'dlv_00003800']);
      assert.equal(failed.ids.length, 20);
      const both = await page(['FAILED', 'CANCELLED']);
      assert.equal(both.index, 'ix_deliveries_stopped');
      assert.deepEqual(both.ids.slice(0, 4), ['dlv_00003900', 'dlv_00003800', 'dlv_00003700', 'dlv_00003607']);
    });

    it('finds open deliveries through ix_deliveries_due', async () => {
      const open = await page(['PENDING', 'IN_FLIGHT', 'RETRY_SCHEDULED']);
      assert.equal(open.index, 'ix_deliveries_due');
      assert.equal(open.ids.length, 20);
      assert.deepEqual(open.ids.slice(0, 2), ['dlv_00003803', 'dlv_00003603']);
    });

    it('reads successes and mixed filters in id order, with the same rows', async () => {
      const succeeded = await page(['SUCCEEDED']);
      assert.deepEqual(succeeded.ids.slice(0, 2), ['dlv_00003999', 'dlv_00003998']);
      const mixed = await page(['FAILED', 'PENDING']);
      assert.deepEqual(mixed.ids.slice(0, 3), ['dlv_00003900', 'dlv_00003803', 'dlv_00003800']);
    });

    it('migrates down to the status index and up again', async () => {
      const indexes = async () =>
        kind === 'mysql'
          ? ((await db.dataSource.query(`SHOW INDEX FROM deliveries`)) as { Key_name: string }[]).map((r) => r.Key_name)
          : ((await db.dataSource.query(`PRAGMA index_list(deliveries)`)) as { name: string }[]).map((r) => r.name);
      // Back to before the stopped index (and whatever migrations came after it).
      for (let i = 0; i < 50 && !(await indexes()).includes('ix_deliveries_status'); i++) await db.dataSource.undoLastMigration();
      assert.ok((await indexes()).includes('ix_deliveries_status'));
      assert.ok(!(await indexes()).includes('ix_deliveries_stopped'));
      await db.migrate();
      assert.ok(!(await indexes()).includes('ix_deliveries_status'));
      assert.ok((await indexes()).includes('ix_deliveries_stopped'));
      assert.equal((await page(['FAILED'])).ids.length, 20);
    });
  });
}

if (!process.env.TEST_MYSQL_URL) {
  describe('mysql: the delivery status filter', () => {
    it('runs on MySQL', { skip: MYSQL_SKIP_MESSAGE }, () => undefined);
  });
}
