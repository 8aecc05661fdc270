import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { generate } from '@graphql-codegen/cli';

const CLIENT = path.resolve(__dirname, '../../../packages/client');

interface CodegenModule {
  GENERATED: string;
  codegenConfig(output?: string): Parameters<typeof generate>[0];
}

it('the client’s generated operations match schema.graphql (run `npm run codegen -w @hookgraph/client`)', async () => {
  const { GENERATED, codegenConfig } = (await import(pathToFileURL(path.join(CLIENT, 'codegen.mjs')).href)) as CodegenModule;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-codegen-'));
  try {
    const output = path.join(dir, 'graphql.ts');
    await generate(codegenConfig(output), true);
    assert.equal(fs.readFileSync(path.join(CLIENT, GENERATED), 'utf8'), fs.readFileSync(output, 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
