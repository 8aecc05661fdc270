import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Agent, request } from 'undici';
import { printMetric, type Benchmark, type Ledger } from './support/report';
import type { FromSubscribers, SubscribersData } from './support/subscribers.worker';

/**
 * P6, the memory soak: hookgraph (`hookgraph serve` on SQLite, in a process of its own)
 * under steady load for 10 minutes (--quick: 2): publishes in batches at BENCH_SOAK_RATE
 * events a second (default 1,000: about half of P1's rate on this 2-core machine), each
 * delivered to a local receiver; 200 graphql-ws subscribers; inbound listener requests.
 * Its RSS is sampled every 10 s; after the warm-up it must stay within ±10 % of its mean
 * and under 300 MB. The ledger: every published event reached the receiver.
 */
const SUBSCRIBERS = 200;
const SAMPLE_MS = 10_000;
const LIMIT_MB = 300;
const BATCH_ROWS = 10;
const LISTENER_PER_SECOND = 20;

export const run: Benchmark = async ({ quick }) => {
  const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? (quick ? 2 : 10));
  const warmupMs = (quick ? 30 : 60) * 1000;
  const rate = Number(process.env.BENCH_SOAK_RATE ?? 1000);
  const received = new Set<string>();
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = req.headers['webhook-id'];
      if (typeof id === 'string') received.add(id);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/soak`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-soak-'));
  const key = `soak-admin-${randomBytes(8).toString('hex')}`;
  const service = await serve({ HOOKGRAPH_DATA_DIR: dataDir, HOOKGRAPH_ADMIN_KEY: key, HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex') });
  const agent = new Agent({ connections: 16 });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await request(`${service.url}/graphql`, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.body.json()) as { data?: any; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  let worker: Worker | null = null;
  try {
    const dest = await gql(`mutation($u: String!) { destinationCreate(input: { name: "soak", url: $u }) { destination { id } } }`, { u: receiverUrl });
    await gql(`mutation($d: ID!) { webhookCreate(input: { name: "soak", destinationId: $d, eventTypes: ["soak.*"] }) { webhook { id } } }`, {
      d: dest.destinationCreate.destination.id,
    });
    const listener = await gql(`mutation { listenerCreate(input: { name: "soak", eventType: "soak.inbound" }) { listener { url } } }`);
    const listenerUrl = listener.listenerCreate.listener.url as string;
    worker = await subscribers({
      url: `${service.url.replace(/^http/, 'ws')}/graphql`,
      count: SUBSCRIBERS,
      graphql: { key, query: `subscription { deliveryUpdated(filter: { eventType: ["soak.tick"] }) { attemptCount } }` },
    });

    let published = 0;
    const samples: { at: number; mb: number }[] = [];
    const started = Date.now();
    const end = started + minutes * 60_000;
    const sampler = setInterval(() => samples.push({ at: Date.now() - started, mb: rssMb(service.pid) }), SAMPLE_MS);
    const batchesPerSecond = rate / BATCH_ROWS;
    let tick = 0;
    while (Date.now() < end) {
      const second = Date.now();
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < batchesPerSecond; i += 1) {
        const rows = Array.from({ length: BATCH_ROWS }, (_, n) => ({ id: `${tick}-${i}-${n}`, total: n }));
        work.push(
          gql(`mutation($rows: [JSON!]!) { eventPublishBatch(input: { type: "soak.row", syncMode: APPEND, rows: $rows }) { events { id } } }`, { rows }),
        );
        published += BATCH_ROWS;
      }
      for (let i = 0; i < LISTENER_PER_SECOND; i += 1) {
        work.push(
          request(listenerUrl, { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"n":${i}}` }).then((r) =>
            r.body.dump(),
          ),
        );
        published += 1;
      }
      work.push(gql(`mutation($n: Int!) { eventPublish(input: { type: "soak.tick", data: { n: $n } }) { event { id } } }`, { n: tick }));
      published += 1;
      tick += 1;
      await Promise.all(work);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - second))));
    }
    clearInterval(sampler);
    const drainedBy = Date.now() + 120_000;
    while (received.size < published && Date.now() < drainedBy) await new Promise((resolve) => setTimeout(resolve, 200));

    const settled = samples.filter((s) => s.at >= warmupMs);
    const mbs = settled.map((s) => s.mb);
    const mean = mbs.reduce((a, b) => a + b, 0) / Math.max(1, mbs.length);
    const peak = Math.max(...mbs);
    const drift = mbs.length ? ((Math.max(...mbs) - Math.min(...mbs)) / mean) * 100 : 0;
    console.error(
      `# P6: ${minutes} min at ${rate} events/s, ${SUBSCRIBERS} subscribers; RSS (MB) every 10 s: ${samples.map((s) => s.mb.toFixed(0)).join(' ')}`,
    );
    printMetric({ id: 'P6', variant: 'rss-peak', value: peak, baseline: LIMIT_MB, unit: 'MB', ratio: LIMIT_MB / peak });
    // Flat: the spread after the warm-up, against the ±10 % (20 % of the mean) it may take.
    printMetric({ id: 'P6', variant: 'rss-spread', value: drift, baseline: 20, unit: '%', ratio: drift === 0 ? 99 : 20 / drift });
    const ledger: Ledger = { name: 'P6 sqlite', published, delivered: received.size, failed: 0, duplicates: 0 };
    return [ledger];
  } finally {
    await worker?.terminate();
    await agent.close();
    await service.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};

/** `hookgraph serve` in its own process; its URL read from the start banner. */
async function serve(env: Record<string, string>): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const cli = path.join(__dirname, '..', 'src', 'cli.js');
  const child = spawn(process.execPath, [cli, 'serve'], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let banner = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      const match = /GraphQL API:\s+(\S+)\/graphql/.exec(banner);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hookgraph exited (${code}): ${banner}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** 200 graphql-ws sockets in a worker thread (bench/support/subscribers.worker.ts), connected. */
async function subscribers(data: SubscribersData): Promise<Worker> {
  const worker = new Worker(path.join(__dirname, 'support', 'subscribers.worker.js'), { workerData: data });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: FromSubscribers) => m.type === 'connected' && resolve());
    worker.once('error', reject);
  });
  return worker;
}

/** The resident set of a process, from /proc (Linux). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
