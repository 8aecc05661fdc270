import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { postgresBinDir } from '../../bench/support/postgres-cluster';
import { selectBenches } from '../../bench/support/select-benches';

const FILES = ['bench-8-peers.js', 'bench-1-delivery.js', 'bench-2-backlog.js', 'bench-1-delivery.js.map', 'run.js'];

describe('npm run bench -- --only=', () => {
  it('runs every bench file in name order without --only', () => {
    assert.deepEqual(selectBenches(FILES, undefined), ['bench-1-delivery.js', 'bench-2-backlog.js', 'bench-8-peers.js']);
  });

  it('takes the start of a file name or of the part after its number', () => {
    assert.deepEqual(selectBenches(FILES, 'bench-1'), ['bench-1-delivery.js']);
    assert.deepEqual(selectBenches(FILES, 'peers'), ['bench-8-peers.js']);
    assert.deepEqual(selectBenches(FILES, 'nothing'), []);
  });
});

describe('the PostgreSQL binaries P8 runs graphile-worker on', () => {
  it('are the newest version that has both initdb and pg_ctl, or none', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-pgroot-'));
    try {
      assert.equal(postgresBinDir(path.join(root, 'absent')), null);
      assert.equal(postgresBinDir(root), null);
      for (const [version, tools] of [
        ['9', ['initdb', 'pg_ctl']],
        ['15', ['initdb', 'pg_ctl']],
        ['16', ['initdb']],
      ] as const) {
        fs.mkdirSync(path.join(root, version, 'bin'), { recursive: true });
        for (const tool of tools) fs.writeFileSync(path.join(root, version, 'bin', tool), '');
      }
      assert.equal(postgresBinDir(root), path.join(root, '15', 'bin'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
