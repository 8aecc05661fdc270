import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '../../..');
const PROBE = path.join(REPO, 'test', 'unit', 'probe.ts');

/** The compiler options tsc reads from the repository's tsconfig.json. */
function repositoryOptions(): ts.CompilerOptions {
  const { config, error } = ts.readConfigFile(path.join(REPO, 'tsconfig.json'), (file) => ts.sys.readFile(file));
  assert.equal(error, undefined);
  return ts.parseJsonConfigFileContent(config, ts.sys, REPO).options;
}

/** What tsc says of `source`, compiled alone (no type packages) with the repository's options. */
function diagnose(source: string): string[] {
  const options: ts.CompilerOptions = { ...repositoryOptions(), noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const fromDisk = host.getSourceFile.bind(host);
  host.getSourceFile = (file, languageVersion, ...rest) =>
    path.resolve(file) === PROBE ? ts.createSourceFile(file, source, languageVersion) : fromDisk(file, languageVersion, ...rest);
  const program = ts.createProgram([PROBE], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('compiler guardrails (tsconfig.json)', () => {
  it('types an element read by index as possibly undefined (noUncheckedIndexedAccess)', () => {
    const errors = diagnose(
      `const names: string[] = [];\nexport const first: string = names[0];\nexport const byKey: Record<string, number> = {};\nexport const one: number = byKey.one;\n`,
    );
    assert.equal(errors.length, 2, errors.join('\n'));
    for (const error of errors) assert.match(error, /'(string|number) \| undefined' is not assignable/);
  });

  it('accepts the element once the undefined case is handled', () => {
    assert.deepEqual(
      diagnose(`const names: string[] = [];\nconst first = names[0];\nexport const length: number = first === undefined ? 0 : first.length;\n`),
      [],
    );
  });
});
