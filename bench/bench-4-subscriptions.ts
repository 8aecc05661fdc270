import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import { loadConfig } from '../src/config';
import type { DeliveryEntity } from '../src/domain/delivery/delivery.entity';
import { createLogger } from '../src/logger';
import { startHookgraph, type App } from '../src/main';
import { printMetric, type Benchmark, type Ledger } from './support/report';
import type { FromSubscribers, SubscribersData } from './support/subscribers.worker';

/**
 * P4: subscription fan-out. 1,000 graphql-ws (graphql-transport-ws) clients subscribed to
 * deliveryUpdated on a real hookgraph, against raw `ws` sending one pre-serialized buffer
 * to 1,000 sockets, in the same run. The clients live in a worker thread (not on the
 * server's event loop) and receive with the same thin code on both sides (a `ws` socket,
 * one JSON.parse per message), so the ratio is the server's.
 * Throughput: a burst of events, messages/s until every client has every message.
 * Latency: 10 events/s, p99 from the post-commit signal (or the raw send) to the client.
 */
const CLIENTS = 1000;
const RATE_PER_S = 10;
const QUERY = 'subscription { deliveryUpdated { id status eventType attemptCount updatedAt } }';

interface Measured {
  throughput: number;
  p99: number;
  sent: number;
  received: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const epochNow = () => performance.timeOrigin + performance.now();

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

function p99(values: number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

/** 1,000 receiving sockets in a worker thread. */
class Subscribers {
  received = 0;
  private arrivals?: Promise<Extract<FromSubscribers, { type: 'arrivals' }>>;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromSubscribers) => {
      if (m.type === 'received') this.received = m.count;
    });
  }

  static async start(data: SubscribersData): Promise<Subscribers> {
    const worker = new Worker(path.join(__dirname, 'support', 'subscribers.worker.js'), { workerData: data });
    const subscribers = new Subscribers(worker);
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromSubscribers) => m.type === 'connected' && resolve());
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`subscribers exited with ${code}`)));
    });
    return subscribers;
  }

  /** Closes the sockets and returns every message's sequence number and arrival time. */
  finish() {
    this.arrivals ??= new Promise((resolve) => {
      this.worker.on('message', (m: FromSubscribers) => m.type === 'arrivals' && resolve(m));
      this.worker.postMessage({ type: 'finish' });
    });
    return this.arrivals.finally(() => this.worker.terminate());
  }
}

/** Burst, then paced events; `emit(seq)` announces one event with sequence number `seq`. */
async function measure(subscribers: Subscribers, emit: (seq: number) => void, burst: number, paced: number): Promise<Measured> {
  const emittedAt = new Map<number, number>();
  let seq = 0;
  const send = () => {
    seq += 1;
    emittedAt.set(seq, epochNow());
    emit(seq);
  };
  const started = performance.now();
  for (let i = 0; i < burst; i += 1) send();
  await until(() => subscribers.received >= burst * CLIENTS, 60_000);
  const throughput = (subscribers.received / (performance.now() - started)) * 1000;
  for (let i = 0; i < paced; i += 1) {
    send();
    await sleep(1000 / RATE_PER_S);
  }
  const sent = seq * CLIENTS;
  await until(() => subscribers.received >= sent, 10_000);
  const { seqs, at } = await subscribers.finish();
  const latencies: number[] = [];
  // `at` runs parallel to `seqs`: one arrival time per message.
  for (const [i, s] of seqs.entries()) if (s > burst) latencies.push(at[i]! - emittedAt.get(s)!);
  return { throughput, p99: p99(latencies), sent, received: seqs.length };
}

async function rawBaseline(burst: number, paced: number): Promise<Measured> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const subscribers = await Subscribers.start({ url: `ws://127.0.0.1:${port}`, count: CLIENTS });
    const template = { id: 'dlv_01KBENCHBENCHBENCHBENCHBENC', status: 'PENDING', eventType: 'bench.event', updatedAt: '' };
    return await measure(
      subscribers,
      (seq) => {
        const message = {
          id: '1',
          type: 'next',
          payload: { data: { deliveryUpdated: { ...template, attemptCount: seq, updatedAt: new Date().toISOString() } } },
        };
        const buffer = Buffer.from(JSON.stringify(message));
        for (const client of wss.clients) client.send(buffer);
      },
      burst,
      paced,
    );
  } finally {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  }
}

async function graphqlWs(burst: number, paced: number): Promise<Measured> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-bench4-'));
  const adminKey = `bench-admin-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: `sqlite:${path.join(dataDir, 'bench.db')}`,
    HOOKGRAPH_DATA_DIR: dataDir,
    HOOKGRAPH_ADMIN_KEY: adminKey,
    HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('hex'),
    HOOKGRAPH_SUBSCRIPTION_BACKLOG: '100000',
    HOOKGRAPH_WORKER_ENABLED: 'false',
    LOG_LEVEL: 'silent',
  });
  const app: App = await startHookgraph(config, { migrate: true, logger: createLogger('silent') });
  try {
    // One real, committed delivery; the bench announces status changes of it the way the
    // dispatcher does after each commit (a deliveryUpdated signal).
    const gql = async (query: string) => {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query }),
      });
      return ((await res.json()) as { data: any }).data;
    };
    const dest = await gql(`mutation { destinationCreate(input: { name: "bench", url: "http://192.0.2.1/" }) { destination { id } } }`);
    const destId = dest.destinationCreate.destination.id;
    await gql(`mutation { webhookCreate(input: { name: "bench", destinationId: "${destId}", eventTypes: ["bench.event"] }) { webhook { id } } }`);
    const published = await gql(`mutation { eventPublish(input: { type: "bench.event" }) { deliveries { id } } }`);
    const delivery = (await app.services.deliveries.get(published.eventPublish.deliveries[0].id))!;

    const subscribers = await Subscribers.start({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      count: CLIENTS,
      graphql: { key: adminKey, query: QUERY },
    });
    if (!(await until(() => app.realtime.hub.stats().subscribers === CLIENTS, 30_000))) {
      throw new Error(`only ${app.realtime.hub.stats().subscribers} of ${CLIENTS} subscriptions started`);
    }
    const result = await measure(
      subscribers,
      (seq) => app.services.signals.emit('deliveryUpdated', { ...delivery, attemptCount: seq, updatedAt: new Date() } as DeliveryEntity, null),
      burst,
      paced,
    );
    if (app.realtime.hub.stats().cutOff) throw new Error('a benchmark client was cut off as too slow');
    return result;
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export const run: Benchmark = async ({ quick }) => {
  const burst = quick ? 40 : 200;
  const paced = quick ? 30 : 100;
  const baseline = await rawBaseline(burst, paced);
  const value = await graphqlWs(burst, paced);
  printMetric({ id: 'P4', variant: 'throughput', value: value.throughput, baseline: baseline.throughput, unit: 'messages/s' });
  // Lower is better: the ratio is baseline/value, so 1.00 means as fast as raw ws.
  printMetric({ id: 'P4', variant: 'p99', value: value.p99, baseline: baseline.p99, unit: 'ms', ratio: baseline.p99 / value.p99 });
  const ledger = (name: string, m: Measured): Ledger => ({
    name,
    published: m.sent,
    delivered: Math.min(m.received, m.sent),
    failed: 0,
    duplicates: Math.max(0, m.received - m.sent),
  });
  return [ledger('P4 graphql-ws', value), ledger('P4 raw ws', baseline)];
};
