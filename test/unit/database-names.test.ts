import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

/** The sources, from dist/test/unit/ back to the repository's src/. */
const SRC = path.resolve(__dirname, '../../../src');
/** The only places that may know which database they are on: configuration, the database's parts, the dialect, the migrations of each. */
const ALLOWED = ['config.ts', 'database/', 'sql/dialect.ts', 'migrations/'];
/** A database named in code: a kind compared or set, or a TypeORM driver type. */
const NAMED = /'(?:mysql|sqlite|better-sqlite3)'/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

it('no code outside the database, the dialect and the configuration asks which database it is on', () => {
  const offending = sources(SRC)
    .map((file) => path.relative(SRC, file).split(path.sep).join('/'))
    .filter((file) => !ALLOWED.some((allowed) => file === allowed || (allowed.endsWith('/') && file.startsWith(allowed))))
    .flatMap((file) =>
      fs
        .readFileSync(path.join(SRC, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (NAMED.test(line) ? [`src/${file}:${i + 1}: ${line.trim()}`] : [])),
    );
  assert.deepEqual(offending, [], 'a difference between MySQL and SQLite belongs in src/sql/dialect.ts (or the database parts in src/database/)');
});
