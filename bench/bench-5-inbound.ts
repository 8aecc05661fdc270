import 'reflect-metadata';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startHookgraph } from '../src/main';
import { freshDatabase, type DatabaseKind } from '../test/support/databases';
import { bareInsertServer } from './support/bare-insert';
import { alternatingRounds } from './support/load';
import { printMetric, type Benchmark, type Ledger } from './support/report';
import { DEFAULT_TENANT_ID } from '../src/domain/tenant/tenant.entity';

/**
 * P7 inbound: accepted listener requests per second (JSON, HMAC-verified, event stored)
 * against a bare node:http handler that verifies the same HMAC and makes the same single
 * INSERT, on the same database, in the same run, in alternating half-second rounds.
 */
const CONCURRENCY = 16;
const ROUND_SECONDS = 0.5;
const SECRET = 'bench-inbound-secret';
const BODY = JSON.stringify({ type: 'inbound.bench', order: { id: 42, total: 99.5, lines: [{ sku: 'A1', qty: 2 }] } });
const SIGNATURE = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;

export const run: Benchmark = async ({ quick, mysqlUrl }) => {
  const kinds: DatabaseKind[] = mysqlUrl ? ['sqlite', 'mysql'] : ['sqlite'];
  const ledgers: Ledger[] = [];
  const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
  try {
    for (const kind of kinds) ledgers.push(await runOn(kind, mysqlUrl, agent, quick ? 3 : 10));
  } finally {
    await agent.close();
  }
  return ledgers;
};

async function runOn(kind: DatabaseKind, mysqlUrl: string | undefined, agent: Agent, seconds: number): Promise<Ledger> {
  const db = await freshDatabase(kind, mysqlUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-bench-'));
  const adminKey = `bench-admin-${randomBytes(8).toString('hex')}`;
  const config = {
    ...loadConfig({
      PORT: '0',
      HOOKGRAPH_DATA_DIR: dataDir,
      HOOKGRAPH_ADMIN_KEY: adminKey,
      HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    }),
    database: db.config,
  };
  const app = await startHookgraph(config, { migrate: true, logger: createLogger('silent') });
  try {
    const created = await app.services.listeners.create(
      {
        name: 'bench',
        eventType: 'inbound.bench',
        verification: { type: 'HMAC', header: 'X-Hub-Signature-256', prefix: 'sha256=', secret: SECRET },
        rateLimit: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
      },
      DEFAULT_TENANT_ID,
    );
    const url = `${app.url}/in/${created.listener.urlToken}`;
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': SIGNATURE };
    let accepted = 0;
    let refused = 0;
    const inbound = async () => {
      const res = await request(url, { dispatcher: agent, method: 'POST', headers, body: BODY });
      await res.body.dump();
      if (res.statusCode === 204) accepted += 1;
      else refused += 1;
    };
    const bare = await bareInsertServer(app.services.db, (raw, req) => {
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    const raw = async () => {
      const res = await request(bare.url, { dispatcher: agent, method: 'POST', headers, body: BODY });
      await res.body.dump();
    };
    let measured: { value: number; baseline: number };
    try {
      measured = await alternatingRounds(seconds * 2, ROUND_SECONDS, CONCURRENCY, inbound, raw);
    } finally {
      await bare.close();
    }
    const { value, baseline } = measured;
    printMetric({ id: 'P7', variant: kind, value, baseline, unit: 'requests/s' });
    const [{ n }] = await app.services.db.dataSource.query(`SELECT COUNT(*) AS n FROM events WHERE type = 'inbound.bench' AND source = 'LISTENER'`);
    // Nothing should be refused; a refusal is a failed request, not a lost event.
    return { name: `P7 ${kind}`, published: accepted + refused, delivered: Number(n), failed: refused, duplicates: 0 };
  } finally {
    await app.stop();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
