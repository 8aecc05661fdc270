import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');

/**
 * The first `js` code block of a README section (after `from` in it, when given), as a
 * reader would copy it.
 */
export function readmeSnippet(section: string, from?: string): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  let start = readme.indexOf(`\n## ${section}\n`);
  assert.ok(start >= 0, `README has a section "${section}"`);
  if (from !== undefined) {
    start = readme.indexOf(from, start);
    assert.ok(start >= 0, `the section "${section}" says "${from}"`);
  }
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start));
  assert.ok(block, `the section "${section}" has a js example`);
  return block[1]!;
}
