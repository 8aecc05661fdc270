import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { after, before } from 'node:test';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../../src/config';
import { Database } from '../../src/database/database';

export type DatabaseKind = 'sqlite' | 'mysql';

/**
 * The databases every integration suite runs on: SQLite always, MySQL when
 * TEST_MYSQL_URL is set (then a MySQL that cannot be reached fails the suite).
 */
export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
}

export const MYSQL_SKIP_MESSAGE = 'MySQL tests skipped: set TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/ to run them';

export interface FreshDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A new, empty database for one test file. */
export async function freshDatabase(kind: DatabaseKind, mysqlUrl = process.env.TEST_MYSQL_URL): Promise<FreshDatabase> {
  const suffix = randomBytes(6).toString('hex');
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-test-'));
    return {
      config: { kind: 'sqlite', path: path.join(dir, 'test.db') },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = new URL(mysqlUrl!);
  const name = `hookgraph_test_${suffix}`;
  const admin = await mysql.createConnection({
    host: base.hostname,
    port: Number(base.port || 3306),
    user: decodeURIComponent(base.username || 'root'),
    password: decodeURIComponent(base.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    config: { kind: 'mysql', url: url.toString() },
    drop: async () => {
      const conn = await mysql.createConnection({
        host: base.hostname,
        port: Number(base.port || 3306),
        user: decodeURIComponent(base.username || 'root'),
        password: decodeURIComponent(base.password),
      });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

/**
 * For a suite that queries a database directly: a fresh one of this kind, opened and
 * migrated before the suite's tests, closed and dropped after them.
 */
export function useMigratedDatabase(kind: DatabaseKind, setUp: (db: Database) => Promise<void> = async () => undefined): () => Database {
  let fresh: FreshDatabase | undefined;
  let db: Database | undefined;
  before(async () => {
    fresh = await freshDatabase(kind);
    db = await Database.open(fresh.config);
    await db.migrate();
    await setUp(db);
  });
  after(async () => {
    await db?.close();
    await fresh?.drop();
  });
  return () => db!;
}
