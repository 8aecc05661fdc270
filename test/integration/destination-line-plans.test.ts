import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IN_LINE } from '../../src/domain/delivery/waiting';
import { inFlightStatement, joinLineStatement, lineStatement, linesWithWorkStatement } from '../../src/sql/destination-line';
import type { Statement } from '../../src/sql/queue-transaction';
import { databaseKinds, useMigratedDatabase } from '../support/databases';

const NOW = 10_000_000;
const LEASE_MS = 60_000;

/**
 * The claim of a limited destination's line runs at every request of it that finishes:
 * its statements MUST read only the line and the due part of the queue, never the
 * destination's deliveries of all time. The plans are read from each database itself,
 * on a table where the destination's history is most rows.
 */
for (const kind of databaseKinds()) {
  describe(`${kind}: the statements of a destination's line`, () => {
    const database = useMigratedDatabase(kind, async (db) => {
      // dst_x: 4,000 SUCCEEDED, 40 in line, 10 in flight, 5 due; dst_y: 30 due.
      const trigger = kind === 'mysql' ? '`trigger`' : '"trigger"';
      const rows: [string, string, string, number | null][] = [];
      for (let n = 0; n < 4000; n++) rows.push([`dlv_a${String(n).padStart(6, '0')}`, 'dst_x', 'SUCCEEDED', null]);
      for (let n = 0; n < 40; n++) rows.push([`dlv_b${String(n).padStart(6, '0')}`, 'dst_x', 'PENDING', IN_LINE]);
      for (let n = 0; n < 10; n++) rows.push([`dlv_c${String(n).padStart(6, '0')}`, 'dst_x', 'IN_FLIGHT', NOW + 1000 + n]);
      for (let n = 0; n < 5; n++) rows.push([`dlv_d${String(n).padStart(6, '0')}`, 'dst_x', 'PENDING', NOW - 10 - n]);
      for (let n = 0; n < 30; n++) rows.push([`dlv_e${String(n).padStart(6, '0')}`, 'dst_y', 'PENDING', NOW - n]);
      for (let start = 0; start < rows.length; start += 500) {
        const chunk = rows.slice(start, start + 500);
        await db.dataSource.query(
          `INSERT INTO deliveries (id, event_id, webhook_id, destination_id, event_type, status, ${trigger}, attempt_count, due_at, created_at, updated_at)
           VALUES ${chunk.map(() => `(?, 'evt_x', 'whk_x', ?, 't', ?, 'AUTOMATIC', 0, ?, 1, 1)`).join(', ')}`,
          chunk.flat(),
        );
      }
      await db.dataSource.query(
        `INSERT INTO destinations (id, name, url, method, format, headers, auth_type, timeout_ms, retry_policy, rate_limit, status, status_changed_at, signing_secret_sealed, signing_secret_hint, created_at, updated_at)
         VALUES ${['x', 'y', 'z'].map((n) => `('dst_${n}', '${n}', 'http://127.0.0.1:1/', 'POST', 'JSON', '[]', 'NONE', 1000, '{}', '{"perSecond":1,"burst":null,"maxConcurrency":null}', 'ACTIVE', 1, 's', 'h', 1, 1)`).join(', ')}`,
      );
      // MySQL keeps statistics of its own; SQLite has none unless asked (hookgraph does not ask), so none here.
      if (kind === 'mysql') await db.dataSource.query('ANALYZE TABLE deliveries');
    });

    /** The index the statement reads deliveries through. */
    async function indexOf(statement: Statement): Promise<string> {
      const plan = (await database().dataSource.query(`${kind === 'mysql' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${statement.sql}`, statement.params)) as Record<
        string,
        unknown
      >[];
      if (kind === 'mysql') return String(plan.find((row) => row.table === 'deliveries' || row.table === 'd')!.key);
      return String(
        plan
          .map((row) => row.detail)
          .join('; ')
          .match(/^(?:SEARCH|SCAN) (?:deliveries|d) USING (?:COVERING )?INDEX (\w+)/)?.[1] ?? plan.map((row) => row.detail).join('; '),
      );
    }

    it('takes the oldest of the line through ix_deliveries_line', async () => {
      const statement = lineStatement(database().dialect, 'dst_x', 3);
      assert.equal(await indexOf(statement), 'ix_deliveries_line');
      const rows = (await database().dataSource.query(statement.sql.replace(' FOR UPDATE SKIP LOCKED', ''), statement.params)) as { id: string }[];
      assert.deepEqual(
        rows.map((r) => r.id),
        ['dlv_b000000', 'dlv_b000001', 'dlv_b000002'],
      );
    });

    it('counts the requests in flight through ix_deliveries_due', async () => {
      const statement = inFlightStatement(database().dialect, 'dst_x', NOW, LEASE_MS);
      assert.equal(await indexOf(statement), 'ix_deliveries_due');
      const [row] = (await database().dataSource.query(statement.sql, statement.params)) as { n: number | string }[];
      assert.equal(Number(row!.n), 10);
    });

    it('finds the lines with deliveries due or waiting through ix_deliveries_due and ix_deliveries_line', async () => {
      const statement = linesWithWorkStatement(database().dialect, ['dst_x', 'dst_y', 'dst_z'], NOW);
      const plan = (await database().dataSource.query(`${kind === 'mysql' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${statement.sql}`, statement.params)) as Record<
        string,
        unknown
      >[];
      const indexes =
        kind === 'mysql'
          ? plan.filter((row) => row.table === 'l' || row.table === 'q').map((row) => `${row.table}:${row.key}`)
          : plan
              .map((row) =>
                String(row.detail)
                  .match(/^(?:SEARCH|SCAN) ([lq]) USING (?:COVERING )?INDEX (\w+)/)
                  ?.slice(1)
                  .join(':'),
              )
              .filter(Boolean);
      assert.deepEqual(indexes.sort(), ['l:ix_deliveries_line', 'q:ix_deliveries_due'], JSON.stringify(plan));
      const rows = (await database().dataSource.query(statement.sql, statement.params)) as { id: string }[];
      assert.deepEqual(rows.map((r) => r.id).sort(), ['dst_x', 'dst_y']);
    });

    it('moves the destination’s due deliveries into its line through ix_deliveries_due, and only its own', async () => {
      const statement = joinLineStatement(database().dialect, 'dst_x', NOW);
      assert.equal(await indexOf(statement), 'ix_deliveries_due');
      await database().dataSource.query(statement.sql, statement.params);
      const [line] = (await database().dataSource.query(`SELECT COUNT(*) AS n FROM deliveries WHERE destination_id = 'dst_x' AND due_at = ${IN_LINE}`)) as {
        n: number | string;
      }[];
      assert.equal(Number(line!.n), 45);
      const [other] = (await database().dataSource.query(`SELECT COUNT(*) AS n FROM deliveries WHERE destination_id = 'dst_y' AND due_at <= ${NOW}`)) as {
        n: number | string;
      }[];
      assert.equal(Number(other!.n), 30);
    });
  });
}
