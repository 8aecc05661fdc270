import assert from 'node:assert/strict';
import { it } from 'node:test';
import mysql from 'mysql2/promise';
import { CompletionWriter, type Finished } from '../../src/dispatch/completion-writer';
import type { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import type { TestApp } from '../support/app';
import { within } from '../support/deferred';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { route } from './dispatch-support';

const WORKER = 'writer-test';

function succeeded(id: string): Finished {
  return {
    delivery: { id } as DeliveryEntity,
    attempt: null,
    completion: { id, status: 'SUCCEEDED', attemptCount: 1, dueAt: null, lastStatusCode: 200, lastError: null },
    disableDestination: null,
    health: null,
  };
}

/** Two deliveries leased to WORKER, as a claim would leave them (no dispatcher runs in this suite). */
async function twoLeased(t: TestApp): Promise<[string, string]> {
  const r = await route(t, 'http://127.0.0.1:9/unused');
  const ids: [string, string] = [(await publish(t, { type: r.type })).deliveryId, (await publish(t, { type: r.type })).deliveryId];
  await t.app.services.db.dataSource.query(`UPDATE deliveries SET status = 'IN_FLIGHT', lease_owner = ?, due_at = ? WHERE id IN (?, ?)`, [
    WORKER,
    Date.now() + 60_000,
    ...ids,
  ]);
  return ids;
}

forEachDatabase(
  'completion writer',
  (ctx) => {
    it('a result written the moment the previous flush ends starts a flush of its own', async () => {
      const t = ctx();
      const ids = await twoLeased(t);
      const { db } = t.app.services;
      const writer = new CompletionWriter(db, WORKER, { onError: () => undefined });
      try {
        // The first write resolves as its flush finds nothing more queued and ends; the
        // second comes in that same moment.
        await writer.write(succeeded(ids[0]));
        await within(5000, writer.write(succeeded(ids[1])), 'the second result was left queued with no flush running');
        const rows = (await db.dataSource.query(`SELECT status FROM deliveries WHERE id IN (?, ?)`, ids)) as { status: string }[];
        assert.deepEqual(
          rows.map((row) => row.status),
          ['SUCCEEDED', 'SUCCEEDED'],
        );
      } finally {
        await writer.drain();
        writer.close();
      }
    });

    it('MySQL: a result commits while an earlier flush waits on a lock', async (tc) => {
      const t = ctx();
      if (t.config.database.kind !== 'mysql') {
        tc.skip('SQLite has one writer: one flush at a time');
        return;
      }
      const [a, b] = await twoLeased(t);
      const { db } = t.app.services;
      const status = async (id: string) => ((await db.dataSource.query('SELECT status FROM deliveries WHERE id = ?', [id])) as { status: string }[])[0]!.status;

      const other = await mysql.createConnection(t.config.database.url);
      const errors: Error[] = [];
      const writer = new CompletionWriter(db, WORKER, { onError: (e) => errors.push(e) });
      try {
        await other.query('START TRANSACTION');
        await other.query('SELECT id FROM deliveries WHERE id = ? FOR UPDATE', [a]);
        let aDone = false;
        const aWritten = writer.write(succeeded(a)).then(() => (aDone = true));
        await new Promise((resolve) => setTimeout(resolve, 100));
        await within(5000, writer.write(succeeded(b)), 'the second result waited for the first flush');
        assert.equal(await status(b), 'SUCCEEDED', 'the second flush committed');
        assert.equal(aDone, false, 'while the first still waits for the lock');
        assert.equal(await status(a), 'IN_FLIGHT');
        await other.query('COMMIT');
        await aWritten;
        assert.equal(await status(a), 'SUCCEEDED');
        assert.deepEqual(errors, []);
      } finally {
        await other.end();
        await writer.drain();
        writer.close();
      }
    });
  },
  { HOOKGRAPH_WORKER_ENABLED: 'false' },
);
