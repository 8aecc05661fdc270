import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { runCli, startChildApp, type ChildApp } from './child-app';
import { freshDatabase, type DatabaseKind, type FreshDatabase } from './databases';

export interface ChildSuite {
  adminKey: string;
  /** A `hookgraph serve` child on the suite's database and keys, with `extra` settings; killed after the suite. */
  start(extra?: Record<string, string>): Promise<ChildApp>;
}

/**
 * For suites whose hookgraph processes are children a test may SIGKILL: a fresh database
 * (migrated), a data dir, an admin key and a master key shared by every child, all
 * removed after the suite along with any child still running.
 */
export function useChildSuite(kind: DatabaseKind, env: Record<string, string> = {}): ChildSuite {
  const adminKey = `child-admin-${randomBytes(8).toString('hex')}`;
  const children: ChildApp[] = [];
  let db: FreshDatabase | undefined;
  let dataDir: string | undefined;
  let shared: Record<string, string> = {};
  before(async () => {
    db = await freshDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-child-'));
    shared = {
      DATABASE_URL: db.config.kind === 'sqlite' ? `sqlite:${db.config.path}` : db.config.url,
      HOOKGRAPH_DATA_DIR: dataDir,
      HOOKGRAPH_ADMIN_KEY: adminKey,
      HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
      ...env,
    };
    if (kind === 'mysql') await runCli(['migrate'], shared);
  });
  after(async () => {
    for (const child of children) await child.kill('SIGKILL');
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    adminKey,
    start: async (extra = {}) => {
      const child = await startChildApp({ ...shared, ...extra }, adminKey);
      children.push(child);
      return child;
    },
  };
}
