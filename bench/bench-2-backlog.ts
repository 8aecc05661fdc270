import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../src/config';
import type { Dispatcher } from '../src/dispatch/dispatcher';
import type { App } from '../src/main';
import { newDispatcher, startBenchApp } from './support/hookgraph-app';
import { publishRows } from './support/publish-rows';
import { printMetric, type Benchmark, type Ledger } from './support/report';
import { countByStatus, sleep, waitUntil } from './support/wait';
import { EVERY_TENANT } from '../src/domain/tenant/scope';
import { DEFAULT_TENANT_ID } from '../src/domain/tenant/tenant.entity';

/**
 * P5 backlog drain: the receiver goes down while events keep coming; the
 * circuit breaker opens and holds the destination's deliveries; the receiver comes back,
 * a probe closes the breaker, and the backlog drains. Rate: backlog deliveries answered
 * 200 per second, from the first to the last of them at the receiver. Baseline: the
 * steady rate of P1 (a drain of due deliveries to a healthy receiver, as bench-1 does it),
 * measured in the same run with the same dispatcher settings. Target ≥ 0.8×, and the
 * ledger balances: every backlog delivery SUCCEEDED or FAILED, duplicates counted.
 */

const CONCURRENCY = 64;
/** The breaker's hold in this bench (default 60 s): a probe soon after the receiver is back. */
const BREAKER_OPEN_MS = 500;

// ---- the receiver process: 503 while down, 200 while up ------------------------------
interface Stats {
  /** Distinct webhook-ids answered 200, and 200s in all (the rest are duplicates). */
  distinct: number;
  ok: number;
  /** When the first, the second and the last 200 went out (ms, this machine's clock). */
  firstOk: number | null;
  secondOk: number | null;
  lastOk: number | null;
}

if (process.env.HOOKGRAPH_BENCH_BACKLOG_RECEIVER === '1') {
  let up = true;
  const seen = new Set<string>();
  let stats: Stats = { distinct: 0, ok: 0, firstOk: null, secondOk: null, lastOk: null };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (!up) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
        return;
      }
      const id = String(req.headers['webhook-id'] ?? '');
      if (id && !seen.has(id)) seen.add(id);
      const at = performance.timeOrigin + performance.now();
      stats = {
        distinct: seen.size,
        ok: stats.ok + 1,
        firstOk: stats.firstOk ?? at,
        secondOk: stats.firstOk === null ? null : (stats.secondOk ?? at),
        lastOk: at,
      };
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', (m: { cmd: 'up' | 'down' | 'reset' | 'stats' }) => {
    if (m.cmd === 'up' || m.cmd === 'down') up = m.cmd === 'up';
    if (m.cmd === 'reset') {
      seen.clear();
      stats = { distinct: 0, ok: 0, firstOk: null, secondOk: null, lastOk: null };
    }
    process.send!(stats);
  });
}

class Receiver {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    const child = fork(__filename, [], { env: { ...process.env, HOOKGRAPH_BENCH_BACKLOG_RECEIVER: '1' }, stdio: 'inherit' });
    const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', resolve as (m: unknown) => void));
    return new Receiver(child, `http://127.0.0.1:${port}/hook`);
  }

  ask(cmd: 'up' | 'down' | 'reset' | 'stats'): Promise<Stats> {
    return new Promise((resolve) => {
      this.child.once('message', resolve as (m: unknown) => void);
      this.child.send({ cmd });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

// ---- the benchmark -------------------------------------------------------------------
export const run: Benchmark = async ({ quick, mysqlUrl }) => {
  const kinds = (mysqlUrl ? (['sqlite', 'mysql'] as const) : (['sqlite'] as const)).filter(
    (k) => !process.env.BENCH_ONLY_DB || process.env.BENCH_ONLY_DB === k,
  );
  const receiver = await Receiver.start();
  const ledgers: Ledger[] = [];
  try {
    for (const kind of kinds) ledgers.push(await runOn(kind, mysqlUrl, receiver, quick));
  } finally {
    receiver.stop();
  }
  return ledgers;
};

async function runOn(kind: 'sqlite' | 'mysql', mysqlUrl: string | undefined, receiver: Receiver, quick: boolean): Promise<Ledger> {
  const bench = await startBenchApp(kind, mysqlUrl, { HOOKGRAPH_BREAKER_OPEN_MS: String(BREAKER_OPEN_MS) });
  const { app, config } = bench;
  // Quick: enough that the drain outlasts the deliveries parked for PARK_MS when the
  // breaker opened; a smaller backlog drains before they come back and times PARK_MS.
  const backlog = quick ? 50_000 : 100_000;
  let dispatcher: Dispatcher | null = null;
  try {
    // Retries a second apart at most: a delivery tried during the outage is due again
    // soon after it, not minutes later.
    const retryPolicy = { strategy: 'EXPONENTIAL' as const, initialIntervalMs: 200, maxIntervalMs: 1000, maxAttempts: 50 };
    const { destination } = await app.services.destinations.create({ name: 'backlog', url: receiver.url, retryPolicy }, DEFAULT_TENANT_ID);
    await app.services.webhooks.create({ name: 'backlog', destinationId: destination.id, eventTypes: ['steady.*', 'backlog.*'] }, EVERY_TENANT);

    // The baseline: P1's steady rate, after a warm-up drain of the same size.
    const steadyN = quick ? 10_000 : 20_000;
    await drain(app, config, receiver, 'steady.warmup', steadyN);
    const steady = await drain(app, config, receiver, 'steady.row', steadyN);

    // The outage: the receiver answers 503 while the backlog is published; the breaker
    // opens after its threshold of failures and holds the rest.
    await receiver.ask('down');
    dispatcher = newDispatcher(app, config, CONCURRENCY);
    dispatcher.start();
    await publishRows(app, 'backlog.row', backlog);
    await sleep(BREAKER_OPEN_MS);
    await receiver.ask('reset');
    await receiver.ask('up');
    await waitUntil(async () => (await receiver.ask('stats')).distinct >= backlog, 600_000, 20);
    const stats = await receiver.ask('stats');
    const rate = backlog / ((stats.lastOk! - stats.firstOk!) / 1000);
    console.error(
      `# P5 ${kind}: ${backlog} held; the probe's 200, then the next after ${(stats.secondOk! - stats.firstOk!).toFixed(0)} ms, the last after ${(stats.lastOk! - stats.firstOk!).toFixed(0)} ms`,
    );
    await waitUntil(async () => {
      const c = await countByStatus(app, 'backlog.row');
      return c.succeeded + c.failed >= backlog;
    }, 60_000);
    const c = await countByStatus(app, 'backlog.row');
    const after = await receiver.ask('stats');
    await dispatcher.stop();
    dispatcher = null;
    // The steady rate again, after the backlog: the baseline is the mean of the drains
    // before and after it, so a machine whose speed drifts during the run moves both sides.
    const steadyAfter = await drain(app, config, receiver, 'steady.after', steadyN);
    console.error(`# P5 ${kind}: steady ${steady.toFixed(0)}/s before the outage, ${steadyAfter.toFixed(0)}/s after the backlog`);
    printMetric({ id: 'P5', variant: kind, value: rate, baseline: (steady + steadyAfter) / 2, unit: 'deliveries/s' });
    return { name: `P5 ${kind}`, published: backlog, delivered: c.succeeded, failed: c.failed, duplicates: after.ok - after.distinct };
  } finally {
    await dispatcher?.stop();
    await bench.stop();
  }
}

/** `n` due deliveries drained to the healthy receiver by a dispatcher of their own: their rate at the receiver. */
async function drain(app: App, config: Config, receiver: Receiver, type: string, n: number): Promise<number> {
  await publishRows(app, type, n);
  await receiver.ask('reset');
  const dispatcher = newDispatcher(app, config, CONCURRENCY);
  dispatcher.start();
  try {
    await waitUntil(async () => (await receiver.ask('stats')).distinct >= n, 120_000, 5);
    const stats = await receiver.ask('stats');
    return n / ((stats.lastOk! - stats.firstOk!) / 1000);
  } finally {
    await dispatcher.stop();
  }
}
