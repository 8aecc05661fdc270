import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * docs/architecture.md walks the data path by file name: every file it names exists, so
 * a move or a rename that forgets the document fails here.
 */
it('docs/architecture.md names only files that exist', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
  const named = new Set<string>();
  for (const [, file] of doc.matchAll(/`?([\w./-]+\.ts)\b/g)) named.add(file!);
  assert.ok(named.size > 30, `the document names ${named.size} files`);
  const folders = ['src', 'src/dispatch', 'src/domain', 'src/graphql', 'src/server', 'test'];
  const missing = [...named].filter((file) => !folders.some((folder) => fs.existsSync(path.join(ROOT, folder, file))) && !fs.existsSync(path.join(ROOT, file)));
  assert.deepEqual(missing, []);
});
