import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

/**
 * The receiving side of P4, in its own thread (clients are elsewhere in real life, and
 * must not share the server's core): `count` sockets, raw or graphql-transport-ws, each
 * doing one JSON.parse per message. Reports how many arrived, then every arrival time.
 */
export interface SubscribersData {
  url: string;
  count: number;
  /** graphql-transport-ws: init with the key, subscribe to `query`. */
  graphql?: { key: string; query: string };
}

export type FromSubscribers = { type: 'connected' } | { type: 'received'; count: number } | { type: 'arrivals'; seqs: Float64Array; at: Float64Array };

const { url, count, graphql } = workerData as SubscribersData;
const port = parentPort!;
const now = () => performance.timeOrigin + performance.now();
let seqs = new Float64Array(1 << 16);
let at = new Float64Array(1 << 16);
let received = 0;
const sockets: WebSocket[] = [];

function record(seq: number): void {
  if (received === seqs.length) {
    const grow = (a: Float64Array) => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    seqs = grow(seqs);
    at = grow(at);
  }
  seqs[received] = seq;
  at[received] = now();
  received += 1;
}

async function open(): Promise<void> {
  const ws = graphql ? new WebSocket(url, 'graphql-transport-ws') : new WebSocket(url);
  sockets.push(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'next') record(message.payload.data.deliveryUpdated.attemptCount);
      else if (message.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: graphql!.query } }));
        resolve();
      }
    });
    ws.once('open', () => {
      if (graphql) ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${graphql.key}` } }));
      else resolve();
    });
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < count; i += 100) await Promise.all(Array.from({ length: Math.min(100, count - i) }, open));
  port.postMessage({ type: 'connected' } satisfies FromSubscribers);
  const timer = setInterval(() => port.postMessage({ type: 'received', count: received } satisfies FromSubscribers), 10);
  port.on('message', (message: { type: 'finish' }) => {
    if (message.type !== 'finish') return;
    clearInterval(timer);
    for (const ws of sockets) ws.terminate();
    port.postMessage({ type: 'arrivals', seqs: seqs.slice(0, received), at: at.slice(0, received) } satisfies FromSubscribers);
    port.close();
  });
}

void main();
