import 'reflect-metadata';
import type { Config } from '../../src/config';
import { Dispatcher } from '../../src/dispatch/dispatcher';
import type { App } from '../../src/main';
import { startTestApp, type TestApp } from '../../test/support/app';
import { freshDatabase, type DatabaseKind } from '../../test/support/databases';

export type { DatabaseKind };

/** A hookgraph on a fresh database whose own worker is off: each drain starts a dispatcher of its own. */
export type BenchApp = TestApp;

/**
 * Starts hookgraph for a benchmark, as the tests start it, logging errors only and with
 * its worker off; `env` adds to (or overrides) those settings. `stop()` also drops the
 * database.
 */
export async function startBenchApp(kind: DatabaseKind, mysqlUrl: string | undefined, env: Record<string, string> = {}): Promise<BenchApp> {
  const database = await freshDatabase(kind, mysqlUrl);
  return startTestApp(kind, { LOG_LEVEL: 'error', HOOKGRAPH_WORKER_ENABLED: 'false', ...env }, { database });
}

/** A dispatcher that sends at `concurrency`, not yet started. */
export function newDispatcher(app: App, config: Config, concurrency: number): Dispatcher {
  return new Dispatcher({ ...app.services, log: app.log }, { ...config.dispatch, enabled: true, concurrency });
}
