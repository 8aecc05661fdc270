import 'reflect-metadata';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Agent, request } from 'undici';
import { loadConfig, type DatabaseConfig } from '../src/config';
import { newId } from '../src/domain/shared/ids';
import { createLogger } from '../src/logger';
import { startHookgraph, type App } from '../src/main';
import { printMetric, type Benchmark, type Ledger } from './support/report';

/**
 * P7 inbound listeners: accepted requests/s at `/in/<token>` (JSON, HMAC-SHA256 verified,
 * stored as an event with source LISTENER), against a bare node:http handler that reads
 * the body, parses it and does the same single INSERT into `events` on the same
 * database, in the same run. Both are driven by the same closed loop over one undici
 * keep-alive agent, in alternating half-second rounds. No webhook matches, so the event is the only row either side writes.
 */

const CONCURRENCY = 16;
const ROUND_SECONDS = 0.5;
const SECRET = 'bench-inbound-hmac-secret';
const TYPE = 'inbound.bench';
const BODY = JSON.stringify({ type: TYPE, id: 'ord_1', customer: { email: 'ada@example.com' }, lines: [{ sku: 'A-1', qty: 2 }], total: 19.5 });
const SIGNATURE = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;

export const run: Benchmark = async ({ quick, mysqlUrl }) => {
  const kinds: ('sqlite' | 'mysql')[] = mysqlUrl ? ['sqlite', 'mysql'] : ['sqlite'];
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: CONCURRENCY });
  const ledgers: Ledger[] = [];
  try {
    for (const kind of kinds) ledgers.push(await runOn(kind, mysqlUrl, agent, quick ? 3 : 10));
  } finally {
    await agent.close();
  }
  return ledgers;
};

async function runOn(kind: 'sqlite' | 'mysql', mysqlUrl: string | undefined, agent: Agent, seconds: number): Promise<Ledger> {
  const db = await freshDb(kind, mysqlUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-bench5-'));
  const config = {
    ...loadConfig({
      PORT: '0',
      HOOKGRAPH_DATA_DIR: dataDir,
      HOOKGRAPH_ADMIN_KEY: `bench-admin-${randomBytes(8).toString('hex')}`,
      HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'error',
      HOOKGRAPH_WORKER_ENABLED: 'false',
    }),
    database: db.config,
  };
  const app = await startHookgraph(config, { migrate: true, logger: createLogger('error') });
  try {
    const { listener } = await app.services.listeners.create({
      name: 'bench',
      eventType: TYPE,
      verification: { type: 'HMAC', algorithm: 'SHA256', encoding: 'HEX', header: 'X-Hub-Signature-256', prefix: 'sha256=', secret: SECRET },
      // The bucket is not what is measured here.
      rateLimit: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
    });
    const url = `${app.url}/in/${listener.token}`;
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': SIGNATURE };

    let accepted = 0;
    let refused = 0;
    const inbound = async () => {
      const res = await request(url, { dispatcher: agent, method: 'POST', headers, body: BODY });
      await res.body.dump();
      if (res.statusCode === 204) accepted += 1;
      else refused += 1;
    };
    const bare = await bareInsertServer(app);
    const raw = async () => {
      const res = await request(bare.url, { dispatcher: agent, method: 'POST', headers, body: BODY });
      await res.body.dump();
    };
    // Short rounds, alternating: load from other work on the shared machine then weighs
    // on both sides alike instead of on whichever ran while it lasted.
    const totals = { inbound: { ops: 0, ms: 0 }, raw: { ops: 0, ms: 0 } };
    try {
      await closedLoop(0.3, inbound); // warm-up: token cache, prepared statements, JIT
      await closedLoop(0.3, raw);
      for (let round = 0; round < seconds * 2; round++) {
        for (const [side, op] of [['inbound', inbound], ['raw', raw]] as const) {
          const r = await closedLoop(ROUND_SECONDS, op);
          totals[side].ops += r.ops;
          totals[side].ms += r.ms;
        }
      }
    } finally {
      await bare.close();
    }
    const value = totals.inbound.ops / (totals.inbound.ms / 1000);
    const baseline = totals.raw.ops / (totals.raw.ms / 1000);
    printMetric({ id: 'P7', variant: kind, value, baseline, unit: 'requests/s' });
    const [{ n }] = (await app.services.db.dataSource.query(`SELECT COUNT(*) AS n FROM events WHERE source = 'LISTENER' AND type = ?`, [TYPE])) as {
      n: number | string;
    }[];
    // A refused request is a failure of the run (nothing should be refused), not a lost event.
    return { name: `P7 ${kind}`, published: accepted + refused, delivered: Number(n), failed: refused, duplicates: 0 };
  } finally {
    await app.stop();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const now = () => performance.timeOrigin + performance.now();

/** Operations done and milliseconds taken by CONCURRENCY loops running for `seconds`. */
async function closedLoop(seconds: number, op: () => Promise<void>): Promise<{ ops: number; ms: number }> {
  const started = now();
  const end = started + seconds * 1000;
  let ops = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (now() < end) {
        await op();
        ops += 1;
      }
    }),
  );
  return { ops, ms: now() - started };
}

/** The baseline: read the body, parse it, one INSERT into events, answer 204. */
async function bareInsertServer(app: App): Promise<{ url: string; close(): Promise<void> }> {
  const db = app.services.db;
  const rowNumber = db.kind === 'mysql' ? '`row_number`' : '"row_number"';
  const sql = `INSERT INTO events (id, type, entity_id, entity_url, data, idempotency_key, ordering_key, source, ${rowNumber}, sync_mode, occurred_at, created_at) VALUES (?, ?, NULL, NULL, ?, NULL, NULL, 'LISTENER', NULL, NULL, ?, ?)`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const data = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      const t = Date.now();
      const insert = () => db.dataSource.query(sql, [newId('event'), 'inbound.bare', JSON.stringify(data), t, t]);
      (db.kind === 'sqlite' ? db.transaction(insert) : insert()).then(
        () => res.writeHead(204).end(),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A database of its own: a temporary SQLite file, or a MySQL database created and dropped here. */
async function freshDb(kind: 'sqlite' | 'mysql', mysqlUrl: string | undefined): Promise<{ config: DatabaseConfig; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-bench5-db-'));
    return { config: { kind, path: path.join(dir, 'bench.db') }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = new URL(mysqlUrl!);
  const name = `hookgraph_bench5_${randomBytes(4).toString('hex')}`;
  const admin = () =>
    mysql.createConnection({
      host: base.hostname,
      port: Number(base.port || 3306),
      user: decodeURIComponent(base.username || 'root'),
      password: decodeURIComponent(base.password),
    });
  const conn = await admin();
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await conn.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    config: { kind, url: url.toString() },
    drop: async () => {
      const c = await admin();
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
