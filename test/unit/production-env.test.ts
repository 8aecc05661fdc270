import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const CLI = path.resolve(__dirname, '../../src/cli.js');
const PROBE = path.resolve(__dirname, '../support/graphql-mode-probe.js');

interface Probe {
  graphqlLoaded: boolean;
  production: boolean | null;
}

/**
 * `hookgraph serve` with the production profile and no secret key: it loads the server's
 * modules, graphql among them, then refuses its configuration and exits 2.
 */
function serveUntilConfigError(nodeEnv: string | undefined): Promise<Probe> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOOKGRAPH_PROFILE: 'production' };
  delete env.HOOKGRAPH_SECRET_KEY;
  delete env.NODE_ENV;
  if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-r', PROBE, CLI, 'serve'], { env }, (error, _stdout, stderr) => {
      if (error?.code !== 2) return reject(new Error(`serve should exit 2 on the missing secret key; got ${error?.code}: ${stderr}`));
      assert.match(stderr, /HOOKGRAPH_SECRET_KEY/);
      const line = stderr.trim().split('\n').at(-1)!;
      resolve(JSON.parse(line) as Probe);
    });
  });
}

describe('the server’s NODE_ENV', () => {
  it('loads graphql in production mode when the environment did not choose', async () => {
    assert.deepEqual(await serveUntilConfigError(undefined), { graphqlLoaded: true, production: true });
  });

  it('keeps the NODE_ENV an operator set', async () => {
    assert.deepEqual(await serveUntilConfigError('development'), { graphqlLoaded: true, production: false });
  });
});
