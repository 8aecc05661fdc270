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
import { median, percentile } from './support/percentile';
import { printMetric, type Benchmark, type Ledger } from './support/report';
import type { FromSubscribers, SubscribersData } from './support/subscribers.worker';

/**
 * P4: subscription fan-out. 1,000 graphql-ws (graphql-transport-ws) clients subscribed to
 * deliveryUpdated on a real hookgraph, against raw `ws` sending one pre-serialized buffer
 * to 1,000 sockets, in the same run. The clients live in a worker thread per side (not on
 * the servers' event loop) and receive with the same thin code on both sides (a `ws`
 * socket, one JSON.parse per message), so the ratio is the server's.
 * Both sides are up, with all their clients connected, before anything is measured, and
 * take turns: load from other work on a shared machine then weighs on both alike instead
 * of on whichever side happened to run while it lasted (one burst per side, one side
 * after the other, gave ratios from 0.49 to 2.05 within minutes).
 * Throughput: alternating bursts, messages/s from the burst's first send until every
 * client has every message of it; medians of the rounds.
 * Latency: 10 events/s per side, the sides' sends 50 ms apart; p99 from the post-commit
 * signal (or the raw send) to the client.
 */
const CLIENTS = 1000;
const RATE_PER_S = 10;
const QUERY = 'subscription { deliveryUpdated { id status eventType attemptCount updatedAt } }';
const BURST_TIMEOUT_MS = 60_000;

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

/** 1,000 receiving sockets in a worker thread. */
class Subscribers {
  /** Messages received so far by all the sockets together (cumulative over the run). */
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

  /** Resolves once `count` messages in all have arrived. */
  reached(count: number, timeoutMs: number): Promise<void> {
    if (this.received >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.worker.off('message', check);
      };
      // Registered after the constructor's listener, so `received` is already updated.
      const check = (m: FromSubscribers) => {
        if (m.type !== 'received' || m.count < count) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.received} of ${count} messages arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      this.worker.on('message', check);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
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

/** A timed burst: sequence numbers `first`..`last`, the first sent at `startedAt` (epoch ms). */
interface Burst {
  first: number;
  last: number;
  startedAt: number;
}

/** One side of the comparison: a server with its 1,000 subscribers connected. */
class Side {
  private seq = 0;
  private readonly emittedAt = new Map<number, number>();
  private readonly bursts: Burst[] = [];
  private pacedFrom = Infinity;
  private arrivals?: { seqs: Float64Array; at: Float64Array };

  constructor(
    private readonly subscribers: Subscribers,
    /** Announces one event whose clients see `seq` as its attemptCount. */
    private readonly emit: (seq: number) => void,
    /** Stops the server; throws if the run was not clean on its side. */
    private readonly stopServer: () => Promise<void>,
  ) {}

  /** Ends the clients' thread (if `finish` has not) and the server, on every path. */
  async stop(): Promise<void> {
    await this.subscribers.terminate();
    await this.stopServer();
  }

  get sent(): number {
    return this.seq * CLIENTS;
  }

  private send(): void {
    this.seq += 1;
    this.emittedAt.set(this.seq, epochNow());
    this.emit(this.seq);
  }

  /** Sends `events` at once and waits until every client has all of them. */
  async burst(events: number, timed: boolean): Promise<void> {
    const burst = { first: this.seq + 1, last: this.seq + events, startedAt: epochNow() };
    for (let i = 0; i < events; i += 1) this.send();
    if (timed) this.bursts.push(burst);
    await this.subscribers.reached(this.sent, BURST_TIMEOUT_MS);
  }

  /** One paced event; latency is measured on these only. */
  pace(): void {
    this.pacedFrom = Math.min(this.pacedFrom, this.seq + 1);
    this.send();
  }

  async finish(timeoutMs: number): Promise<void> {
    await this.subscribers.reached(this.sent, timeoutMs).catch(() => undefined);
    this.arrivals = await this.subscribers.finish();
  }

  get received(): number {
    return this.arrivals!.seqs.length;
  }

  /**
   * Messages/s of each timed burst, from its first send to the last arrival of its
   * messages (the workers' own timestamps, not their every-10-ms count, which would
   * add up to 10 ms to a burst that lasts a few hundred).
   */
  burstRates(): number[] {
    const { seqs, at } = this.arrivals!;
    const burstOf = new Int32Array(this.seq + 1).fill(-1);
    for (const [b, { first, last }] of this.bursts.entries()) burstOf.fill(b, first, last + 1);
    const counts = this.bursts.map(() => 0);
    const lastAt = this.bursts.map((b) => b.startedAt);
    for (let i = 0; i < seqs.length; i += 1) {
      const b = burstOf[seqs[i]!] ?? -1;
      if (b < 0) continue;
      counts[b] = counts[b]! + 1;
      lastAt[b] = Math.max(lastAt[b]!, at[i]!);
    }
    return this.bursts.map((b, i) => (counts[i]! / (lastAt[i]! - b.startedAt)) * 1000);
  }

  p99(): number {
    const { seqs, at } = this.arrivals!;
    const latencies: number[] = [];
    // `at` runs parallel to `seqs`: one arrival time per message.
    for (let i = 0; i < seqs.length; i += 1) if (seqs[i]! >= this.pacedFrom) latencies.push(at[i]! - this.emittedAt.get(seqs[i]!)!);
    return latencies.length ? percentile(latencies, 99) : Number.NaN;
  }

  ledger(name: string): Ledger {
    return { name, published: this.sent, delivered: Math.min(this.received, this.sent), failed: 0, duplicates: Math.max(0, this.received - this.sent) };
  }
}

async function rawSide(): Promise<Side> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  };
  try {
    const subscribers = await Subscribers.start({ url: `ws://127.0.0.1:${port}`, count: CLIENTS });
    const template = { id: 'dlv_01KBENCHBENCHBENCHBENCHBENC', status: 'PENDING', eventType: 'bench.event', updatedAt: '' };
    const emit = (seq: number) => {
      const message = {
        id: '1',
        type: 'next',
        payload: { data: { deliveryUpdated: { ...template, attemptCount: seq, updatedAt: new Date().toISOString() } } },
      };
      const buffer = Buffer.from(JSON.stringify(message));
      for (const client of wss.clients) client.send(buffer);
    };
    return new Side(subscribers, emit, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function graphqlWsSide(): Promise<Side> {
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
  const shutDown = async () => {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
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
    // Each change one version past the last, as the database counts them: an older one is dropped as late.
    const emit = (seq: number) =>
      app.services.signals.emit(
        'deliveryUpdated',
        { ...delivery, attemptCount: seq, updatedAt: new Date(), version: delivery.version + 1 + seq } as DeliveryEntity,
        null,
      );
    const stop = async () => {
      const cutOff = app.realtime.hub.stats().cutOff;
      await shutDown();
      if (cutOff) throw new Error('a benchmark client was cut off as too slow');
    };
    return new Side(subscribers, emit, stop);
  } catch (error) {
    await shutDown();
    throw error;
  }
}

export const run: Benchmark = async ({ quick }) => {
  const rounds = quick ? 5 : 9;
  const burst = quick ? 40 : 50;
  const paced = quick ? 30 : 100;
  const raw = await rawSide();
  let graphql: Side | undefined;
  try {
    graphql = await graphqlWsSide();
    // Neither side is timed while the JIT warms up its send path.
    await raw.burst(burst, false);
    await graphql.burst(burst, false);
    for (let round = 0; round < rounds; round += 1) {
      await raw.burst(burst, true);
      await graphql.burst(burst, true);
    }
    // 10 events/s on each side, the two sides' events half a period apart.
    for (let i = 0; i < paced; i += 1) {
      raw.pace();
      await sleep(1000 / RATE_PER_S / 2);
      graphql.pace();
      await sleep(1000 / RATE_PER_S / 2);
    }
    await Promise.all([raw.finish(10_000), graphql.finish(10_000)]);
  } finally {
    await raw.stop();
    await graphql?.stop();
  }
  const rawRates = raw.burstRates();
  const graphqlRates = graphql.burstRates();
  for (const [i, rate] of rawRates.entries()) {
    console.error(`# P4 round ${i + 1}: raw=${rate.toFixed(0)} graphql-ws=${graphqlRates[i]!.toFixed(0)} messages/s`);
  }
  // Medians of the rounds: one burst that ran in a busy spell of the machine moves a mean.
  printMetric({ id: 'P4', variant: 'throughput', value: median(graphqlRates), baseline: median(rawRates), unit: 'messages/s' });
  // Lower is better: the ratio is baseline/value, so 1.00 means as fast as raw ws.
  const [rawP99, graphqlP99] = [raw.p99(), graphql.p99()];
  printMetric({ id: 'P4', variant: 'p99', value: graphqlP99, baseline: rawP99, unit: 'ms', ratio: rawP99 / graphqlP99 });
  return [graphql.ledger('P4 graphql-ws'), raw.ledger('P4 raw ws')];
};
