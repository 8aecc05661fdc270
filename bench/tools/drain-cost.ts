import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { Dispatcher } from '../../src/dispatch/dispatcher';
import { createLogger } from '../../src/logger';
import { startHookgraph } from '../../src/main';
import { freshDatabase } from '../../test/support/databases';
import { cpuMs, databaseServerPid, machineTicks } from '../support/process-cpu';
import { publishRows } from '../support/publish-rows';
import { EVERY_TENANT } from '../../src/domain/tenant/scope';
import { DEFAULT_TENANT_ID } from '../../src/domain/tenant/tenant.entity';

/**
 * Where a drain's CPU goes: rounds of N due deliveries drained by one dispatcher
 * (concurrency 64, as P1) into a receiver process, each round printing its rate, the
 * CPU per delivery of this process, the database server and the receiver, how busy this
 * process's main thread was, the machine's idle share, and this process's peak RSS:
 *
 *   BENCH_DB=mysql node dist/bench/tools/drain-cost.js
 *     (BENCH_DB sqlite|mysql, BENCH_DRAIN_N 8000, BENCH_DRAIN_ROUNDS 4, BENCH_DRAIN_CONCURRENCY 64, BENCH_MYSQL_URL,
 *      HOOKGRAPH_WORKER_CLAIM_BATCH,
 *      BENCH_CPU_PROFILE=file.cpuprofile: a V8 CPU profile of the last round's drain alone,
 *      BENCH_HEAP_PROFILE=file.heapprofile: instead, what that drain allocated, sampled;
 *      both open in Chrome's DevTools)
 *
 * A round of N is drained first to warm up and is not printed. It explains P1
 * (BENCHMARKS.md); it is not one of the metrics, and `npm run bench` does not run it.
 */
const CONCURRENCY = Number(process.env.BENCH_DRAIN_CONCURRENCY) || 64;

if (process.env.HOOKGRAPH_DRAIN_RECEIVER === '1') {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', () => process.send!({ requests }));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

async function main(): Promise<void> {
  const kind = process.env.BENCH_DB === 'mysql' ? 'mysql' : 'sqlite';
  const n = Number(process.env.BENCH_DRAIN_N) || 8000;
  const rounds = Number(process.env.BENCH_DRAIN_ROUNDS) || 4;
  const receiver = fork(__filename, [], { env: { ...process.env, HOOKGRAPH_DRAIN_RECEIVER: '1' }, stdio: 'inherit' });
  const ask = <T>(): Promise<T> =>
    new Promise((resolve) => {
      receiver.once('message', resolve as (m: unknown) => void);
      receiver.send('count');
    });
  const { port } = await new Promise<{ port: number }>((resolve) => receiver.once('message', resolve as (m: unknown) => void));
  const db = await freshDatabase(kind, process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-drain-'));
  const config = {
    ...loadConfig({
      PORT: '0',
      HOOKGRAPH_DATA_DIR: dataDir,
      HOOKGRAPH_ADMIN_KEY: randomBytes(16).toString('hex'),
      HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'error',
      HOOKGRAPH_WORKER_ENABLED: 'false',
      HOOKGRAPH_WORKER_CLAIM_BATCH: process.env.HOOKGRAPH_WORKER_CLAIM_BATCH ?? '',
    }),
    database: db.config,
  };
  const app = await startHookgraph(config, { migrate: true, logger: createLogger('error') });
  try {
    const { destination } = await app.services.destinations.create({ name: 'drain', url: `http://127.0.0.1:${port}/hook` }, DEFAULT_TENANT_ID);
    await app.services.webhooks.create({ name: 'drain', destinationId: destination.id, eventTypes: ['drain.*'] }, EVERY_TENANT);
    const serverPid = kind === 'mysql' ? databaseServerPid() : null;
    const processes = () => [cpuMs(process.pid), serverPid === null ? 0 : cpuMs(serverPid), cpuMs(receiver.pid!), cpuMs(process.pid, process.pid)];
    for (let round = 0; round <= rounds; round++) {
      await publishRows(app, `drain.r${round}`, n);
      const dispatcher = new Dispatcher({ ...app.services, log: app.log }, { ...config.dispatch, enabled: true, concurrency: CONCURRENCY });
      const target = (await ask<{ requests: number }>()).requests + n;
      const cpu0 = processes();
      const idle0 = machineTicks();
      const profile = round === rounds ? await startProfile(process.env.BENCH_CPU_PROFILE, process.env.BENCH_HEAP_PROFILE) : null;
      const started = performance.now();
      dispatcher.start();
      while ((await ask<{ requests: number }>()).requests < target) await new Promise((r) => setTimeout(r, 10));
      const seconds = (performance.now() - started) / 1000;
      const cpu1 = processes();
      const idle1 = machineTicks();
      await profile?.();
      await dispatcher.stop();
      if (round === 0) continue;
      const perDelivery = (i: number) => Math.round(((cpu1[i]! - cpu0[i]!) * 1000) / n);
      const mainThread = Math.round((cpu1[3]! - cpu0[3]!) / 10 / seconds);
      const idle = Math.round(((idle1.idle - idle0.idle) / (idle1.total - idle0.total)) * 100);
      console.log(
        `${kind} round ${round}: ${Math.round(n / seconds)} deliveries/s; CPU per delivery: this process ${perDelivery(0)} µs, ` +
          `${kind === 'mysql' ? `database server ${perDelivery(1)} µs, ` : ''}receiver ${perDelivery(2)} µs; main thread ${mainThread} % busy, machine ${idle} % idle; ` +
          `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
      );
    }
  } finally {
    await app.stop();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    receiver.kill();
  }
}

/**
 * Starts V8's CPU profiler when `cpuFile` is set, else its sampling heap profiler (every
 * allocation counted, collected or not) when `heapFile` is; the function returned writes
 * the profile there.
 */
async function startProfile(cpuFile: string | undefined, heapFile: string | undefined): Promise<(() => Promise<void>) | null> {
  if (!cpuFile && !heapFile) return null;
  const session = new Session();
  session.connect();
  if (cpuFile) {
    await session.post('Profiler.enable');
    // Every 100 µs rather than V8's default, so that a drain of a few seconds gives a profile worth reading.
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  } else {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  return async () => {
    const { profile } = cpuFile ? await session.post('Profiler.stop') : await session.post('HeapProfiler.stopSampling');
    fs.writeFileSync((cpuFile ?? heapFile)!, JSON.stringify(profile));
    session.disconnect();
  };
}
