import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../src/database/database';
import { ClaimCursor, FULL_SCAN_MS } from '../../src/dispatch/claim-cursor';
import { InactiveDestinations } from '../../src/dispatch/inactive-destinations';
import { claimDue, type QueuePosition } from '../../src/sql/claim-due';
import { databaseKinds, freshDatabase, MYSQL_SKIP_MESSAGE, type FreshDatabase } from '../support/databases';

/**
 * The claim cursor on the real queue: under a backlog a MySQL claim starts after the
 * last row taken, and a delivery that became due behind it is still claimed, by the
 * next full scan. SQLite always scans from the start.
 */
for (const kind of databaseKinds()) {
  describe(`${kind}: the claim cursor`, () => {
    let fresh: FreshDatabase;
    let db: Database;
    const inactive = new InactiveDestinations();
    const base = Date.now() - 60_000;

    before(async () => {
      fresh = await freshDatabase(kind);
      db = await Database.open(fresh.config);
      await db.migrate();
    });
    after(async () => {
      await db.close();
      await fresh.drop();
    });

    const addDue = (id: string, dueAt: number) =>
      db.dataSource.query(
        `INSERT INTO deliveries (id, event_id, webhook_id, destination_id, event_type, status, ${kind === 'mysql' ? '`trigger`' : '"trigger"'}, attempt_count, due_at, created_at, updated_at)
         VALUES (?, 'evt_x', 'whk_x', 'dst_x', 't', 'PENDING', 'AUTOMATIC', 0, ?, ?, ?)`,
        [id, dueAt, dueAt, dueAt],
      );
    const claim = async (after: QueuePosition | null) => {
      const result = await db.queueTransaction((tx) => claimDue(tx, { workerId: 'w1', now: new Date(), leaseMs: 60_000, limit: 2, inactive, after }));
      return { ids: result.claimed.map((c) => c.delivery.id), last: result.last };
    };

    it('claims after the last row taken while claims are full, and a full scan picks up what became due behind it', async () => {
      for (let i = 1; i <= 6; i++) await addDue(`dlv_c${i}`, base + i);
      const cursor = new ClaimCursor();
      const clock = 1_000_000;

      const first = await claim(cursor.from(clock));
      assert.deepEqual(first.ids, ['dlv_c1', 'dlv_c2']);
      cursor.passed(first.last, true);

      // A publish that committed late: due before everything claimed so far.
      await addDue('dlv_late', base);
      const second = await claim(cursor.from(clock + 1));
      if (kind === 'mysql') {
        assert.deepEqual(second.ids, ['dlv_c3', 'dlv_c4'], 'starts after dlv_c2');
        assert.deepEqual(second.last, { dueAt: base + 4, id: 'dlv_c4' });
      } else {
        // (UPDATE … RETURNING gives its rows in no set order)
        assert.deepEqual(second.ids.sort(), ['dlv_c3', 'dlv_late'], 'SQLite scans from the start');
      }
      cursor.passed(second.last, true);

      assert.equal(cursor.from(clock + FULL_SCAN_MS), null, 'a full scan is due');
      const third = await claim(null);
      if (kind === 'mysql') assert.deepEqual(third.ids, ['dlv_late', 'dlv_c5'], 'the late delivery waited at most one full-scan interval');
      else assert.deepEqual(third.ids.sort(), ['dlv_c4', 'dlv_c5']);
    });
  });
}

if (!process.env.TEST_MYSQL_URL) {
  describe('mysql: the claim cursor', () => {
    it('runs on MySQL', { skip: MYSQL_SKIP_MESSAGE }, () => undefined);
  });
}
