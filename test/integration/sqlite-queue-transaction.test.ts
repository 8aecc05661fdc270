import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Database } from '../../src/database/database';

describe('sqlite: the queue’s transactions on the raw connection', () => {
  let dir: string;
  let db: Database;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-queue-tx-'));
    db = await Database.open({ kind: 'sqlite', path: path.join(dir, 'queue.db') });
    await db.sqlite.exclusive((raw) => raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)'));
  });
  after(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = () => db.sqlite.exclusive((raw) => (raw.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n);

  it('commits what a transaction wrote, with rows for reading statements and changes for writes', async () => {
    const results = await db.queueTransaction((tx) =>
      tx.send([
        { sql: 'INSERT INTO t (id, v) VALUES (?, ?), (?, ?)', params: [1, 'a', 2, 'b'] },
        { sql: 'UPDATE t SET v = ? WHERE id IN (?, ?, ?)', params: ['c', 1, 2, 99] },
        { sql: 'SELECT id, v FROM t ORDER BY id' },
      ]),
    );
    assert.deepEqual(results, [
      2,
      2,
      [
        { id: 1, v: 'c' },
        { id: 2, v: 'c' },
      ],
    ]);
    assert.equal(await count(), 2);
  });

  it('rolls back everything when the work fails, and the next transaction runs as usual', async () => {
    await assert.rejects(
      db.queueTransaction(async (tx) => {
        await tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [3, 'x']);
        await tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [1, 'duplicate key']);
      }),
      /UNIQUE constraint failed/,
    );
    assert.equal(await count(), 2, 'the first INSERT was rolled back with the failing one');
    assert.equal(await db.queueTransaction((tx) => tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [3, 'y'])), 1);
    assert.equal(await count(), 3);
  });

  it('runs transactions one after the other, never inside each other', async () => {
    const order: string[] = [];
    await Promise.all(
      ['first', 'second', 'third'].map((name, i) =>
        db.queueTransaction(async (tx) => {
          order.push(`${name} begins`);
          await new Promise((r) => setTimeout(r, 10));
          await tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [10 + i, name]);
          order.push(`${name} ends`);
        }),
      ),
    );
    assert.deepEqual(order, ['first begins', 'first ends', 'second begins', 'second ends', 'third begins', 'third ends']);
  });
});
