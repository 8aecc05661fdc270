import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';
import { loadConfig } from '../src/config';
import type { DeliveryEntity } from '../src/domain/delivery/delivery.entity';
import { createLogger } from '../src/logger';
import { startHookgraph, type App } from '../src/main';
import { printMetric, type Benchmark, type Ledger } from './support/report';

/**
 * P4: subscription fan-out. 1,000 graphql-ws (graphql-transport-ws) clients subscribed to
 * deliveryUpdated on a real hookgraph, against raw `ws` sending one pre-serialized buffer
 * to 1,000 sockets, in the same process and run. Both sides receive with the same thin
 * code (a `ws` socket and one JSON.parse per message), so the ratio is the server's.
 * Throughput: a burst of events, messages/s until every client has every message.
 * Latency: 10 events/s, p99 from the post-commit signal (or the raw send) to the
 * client's message handler.
 */
const CLIENTS = 1000;
const RATE_PER_S = 10;
const QUERY = 'subscription { deliveryUpdated { id status eventType attemptCount updatedAt } }';

interface Phase {
  emit(seq: number): void;
  /** Messages received so far, and the latency of each (ms). */
  received(): number;
  latencies: number[];
}

interface Measured {
  throughput: number;
  p99: number;
  sent: number;
  received: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

function p99(values: number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}

/** The two phases on one set of connected clients. */
async function measure(phase: Phase, burst: number, paced: number): Promise<Measured> {
  let seq = 0;
  let sent = 0;
  // Throughput: a burst, timed until the last client has the last message.
  const before = phase.received();
  const started = performance.now();
  for (let i = 0; i < burst; i += 1) phase.emit(++seq);
  sent += burst * CLIENTS;
  await until(() => phase.received() - before >= burst * CLIENTS, 60_000);
  const throughput = ((phase.received() - before) / (performance.now() - started)) * 1000;
  // Latency at 10 events/s.
  phase.latencies.length = 0;
  for (let i = 0; i < paced; i += 1) {
    phase.emit(++seq);
    sent += CLIENTS;
    await sleep(1000 / RATE_PER_S);
  }
  await until(() => phase.received() >= sent, 10_000);
  return { throughput, p99: p99(phase.latencies), sent, received: phase.received() };
}

async function rawBaseline(burst: number, paced: number): Promise<Measured> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const emittedAt = new Map<number, number>();
  const latencies: number[] = [];
  let received = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < CLIENTS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, CLIENTS - i) }, async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}`);
        ws.on('message', (data) => {
          const message = JSON.parse(String(data));
          received += 1;
          latencies.push(performance.now() - emittedAt.get(message.payload.data.deliveryUpdated.attemptCount)!);
        });
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        sockets.push(ws);
      }),
    );
  }
  const template = { id: 'dlv_01KBENCHBENCHBENCHBENCHBENC', status: 'PENDING', eventType: 'bench.event', updatedAt: '' };
  const phase: Phase = {
    latencies,
    received: () => received,
    emit: (seq) => {
      emittedAt.set(seq, performance.now());
      const buffer = Buffer.from(
        JSON.stringify({ id: '1', type: 'next', payload: { data: { deliveryUpdated: { ...template, attemptCount: seq, updatedAt: new Date().toISOString() } } } }),
      );
      for (const client of wss.clients) client.send(buffer);
    },
  };
  try {
    return await measure(phase, burst, paced);
  } finally {
    for (const ws of sockets) ws.terminate();
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
    LOG_LEVEL: 'silent',
  });
  const app: App = await startHookgraph(config, { migrate: true, logger: createLogger('silent') });
  const sockets: WebSocket[] = [];
  try {
    // One real delivery, committed; the bench then announces status changes of it as the
    // dispatcher would after each commit.
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
    await gql(`mutation { destinationUpdate(id: "${destId}", input: { status: PAUSED }) { userErrors { code } } }`);
    await gql(`mutation { webhookCreate(input: { name: "bench", destinationId: "${destId}", eventTypes: ["bench.event"] }) { webhook { id } } }`);
    const published = await gql(`mutation { eventPublish(input: { type: "bench.event" }) { deliveries { id } } }`);
    const delivery = (await app.services.deliveries.get(published.eventPublish.deliveries[0].id))!;

    const emittedAt = new Map<number, number>();
    const latencies: number[] = [];
    let received = 0;
    const wsUrl = `${app.url.replace(/^http/, 'ws')}/graphql`;
    for (let i = 0; i < CLIENTS; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, CLIENTS - i) }, async () => {
          // A protocol client as thin as the baseline's: the same JSON.parse per message,
          // so the comparison measures the server's fan-out, not two client libraries.
          const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
          sockets.push(ws);
          const acked = new Promise<void>((resolve, reject) => {
            ws.once('error', reject);
            ws.on('message', (data) => {
              const message = JSON.parse(String(data));
              if (message.type === 'connection_ack') {
                ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
                resolve();
              } else if (message.type === 'next') {
                received += 1;
                const at = emittedAt.get(message.payload.data.deliveryUpdated.attemptCount);
                if (at !== undefined) latencies.push(performance.now() - at);
              }
            });
            ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${adminKey}` } })));
          });
          await acked;
        }),
      );
    }
    if (!(await until(() => app.realtime.hub.stats().subscribers === CLIENTS, 30_000))) {
      throw new Error(`only ${app.realtime.hub.stats().subscribers} of ${CLIENTS} subscriptions started`);
    }
    const phase: Phase = {
      latencies,
      received: () => received,
      emit: (seq) => {
        emittedAt.set(seq, performance.now());
        app.services.signals.emit('deliveryUpdated', { ...delivery, attemptCount: seq, updatedAt: new Date() } as DeliveryEntity, null);
      },
    };
    const result = await measure(phase, burst, paced);
    if (app.realtime.hub.stats().cutOff) throw new Error('a benchmark client was cut off as too slow');
    return result;
  } finally {
    for (const ws of sockets) ws.terminate();
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
