import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { Dispatcher } from '../../src/dispatch/dispatcher';
import { createLogger } from '../../src/logger';
import { startHookgraph, type App } from '../../src/main';
import { freshDatabase } from '../../test/support/databases';

export type DatabaseKind = 'sqlite' | 'mysql';

/** A hookgraph on a fresh database whose own worker is off: each drain starts a dispatcher of its own. */
export interface BenchApp {
  app: App;
  config: Config;
  adminKey: string;
  /** Stops the app, drops its database and removes its data directory. */
  dispose(): Promise<void>;
}

/** Starts hookgraph for a benchmark; `env` adds to (or overrides) the settings every bench uses. */
export async function startBenchApp(kind: DatabaseKind, mysqlUrl: string | undefined, env: Record<string, string> = {}): Promise<BenchApp> {
  const db = await freshDatabase(kind, mysqlUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-bench-data-'));
  const adminKey = `bench-admin-${randomBytes(8).toString('hex')}`;
  const config = {
    ...loadConfig({
      PORT: '0',
      HOOKGRAPH_DATA_DIR: dataDir,
      HOOKGRAPH_ADMIN_KEY: adminKey,
      HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'error',
      HOOKGRAPH_WORKER_ENABLED: 'false',
      ...env,
    }),
    database: db.config,
  };
  const app = await startHookgraph(config, { migrate: true, logger: createLogger('error') });
  return {
    app,
    config,
    adminKey,
    async dispose() {
      try {
        await app.stop();
      } finally {
        await db.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** A dispatcher that sends at `concurrency`, not yet started. */
export function newDispatcher(app: App, config: Config, concurrency: number): Dispatcher {
  return new Dispatcher({ ...app.services, log: app.log }, { ...config.dispatch, enabled: true, concurrency });
}
