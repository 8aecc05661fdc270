import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../src/database/database';
import { eventually } from '../support/deferred';

describe('sqlite: WAL checkpoints run off the event loop', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-checkpoint-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('turns the automatic checkpoint off on the main connection, and a worker thread copies the WAL into the database file', async () => {
    const file = path.join(dir, 'checkpoint.db');
    const db = await Database.open({ kind: 'sqlite', path: file });
    try {
      assert.equal(await db.sqlite.exclusive((raw) => raw.pragma('wal_autocheckpoint', { simple: true })), 0);
      const before = fs.statSync(file).size;
      // About 4 MB of pages, committed: past SQLite's own threshold (1,000 pages).
      await db.sqlite.exclusive((raw) => {
        raw.exec('CREATE TABLE filler (x BLOB)');
        const insert = raw.prepare('INSERT INTO filler (x) VALUES (randomblob(4000))');
        raw.transaction(() => {
          for (let i = 0; i < 1000; i++) insert.run();
        })();
      });
      assert.ok(fs.statSync(`${file}-wal`).size > 4_000_000, 'the commit left its pages in the WAL');
      assert.ok(fs.statSync(file).size < before + 1_000_000, 'and the committing thread did not checkpoint them');
      await eventually(async () => fs.statSync(file).size > before + 4_000_000, 5000, 50);
      const rows = await db.sqlite.exclusive((raw) => raw.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number });
      assert.equal(rows.n, 1000);
    } finally {
      await db.close();
    }
  });

  it('closes cleanly: the worker thread ends with the database', async () => {
    const file = path.join(dir, 'close.db');
    const db = await Database.open({ kind: 'sqlite', path: file });
    await db.close();
    const again = await Database.open({ kind: 'sqlite', path: file });
    await again.close();
  });
});
