import assert from 'node:assert/strict';
import fs from 'node:fs';
import { it } from 'node:test';
import { SCHEMA_FILE, schemaSdl } from '../../src/graphql/emit-schema';

it('schema.graphql matches the schema built from the code (run `npm run schema` after an API change)', async () => {
  const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
  assert.equal(committed, await schemaSdl());
});
