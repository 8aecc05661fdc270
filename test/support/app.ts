import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config';
import type { Clock } from '../../src/domain/common/clock';
import { createLogger } from '../../src/logger';
import { startHookgraph, type App } from '../../src/main';
import { freshDatabase, type DatabaseKind, type FreshDatabase } from './databases';

export interface GraphQLResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  app: App;
  url: string;
  adminKey: string;
  config: Config;
  /** POST a GraphQL operation with a key (the admin key unless given; null for none). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GraphQLResult<T>>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  viaMysqlUrl?: (url: string) => string;
  database?: FreshDatabase;
  logTo?: { write(line: string): void };
  clock?: Clock;
}

/**
 * A real hookgraph on a free port over a fresh database, with a known admin key.
 * `env` adds configuration variables as a user would set them; `viaMysqlUrl` makes the
 * app reach its MySQL database through another address (a fault-injecting proxy);
 * `database` is one prepared beforehand (e.g. with rows as an earlier version stored them);
 * `logTo` receives the log's JSON lines (set LOG_LEVEL in `env`); `clock` is the time
 * portal tokens expire by (a ManualClock the test moves).
 */
export async function startTestApp(kind: DatabaseKind, env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await freshDatabase(kind));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-data-'));
  const adminKey = `test-admin-${randomBytes(12).toString('hex')}`;
  const config = {
    ...loadConfig({
      PORT: '0',
      HOOKGRAPH_DATA_DIR: dataDir,
      HOOKGRAPH_ADMIN_KEY: adminKey,
      HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...env,
    }),
    database: db.config.kind === 'mysql' && options.viaMysqlUrl ? { kind: 'mysql' as const, url: options.viaMysqlUrl(db.config.url) } : db.config,
  };
  let app: App;
  try {
    app = await startHookgraph(config, { migrate: true, logger: createLogger(config.logLevel, options.logTo), clock: options.clock });
  } catch (error) {
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const gql = async (query: string, variables?: Record<string, unknown>, key: string | null = adminKey) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    let body: { data?: unknown; errors?: GraphQLResult['errors'] };
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: text }] };
    }
    return { status: res.status, data: body.data, errors: body.errors } as GraphQLResult;
  };
  return {
    app,
    url: app.url,
    adminKey,
    config,
    gql,
    stop: async () => {
      await app.stop();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
