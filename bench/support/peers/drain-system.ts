import type { Settled } from '../drain-ledger';
import type { PeerJob } from './signed-sender';

/**
 * A system that drains a pre-loaded backlog of webhook deliveries to the receiver:
 * hookgraph on one database, or a peer. The bench loads, starts, waits for the receiver
 * to have every delivery, waits for the system's books to settle, then stops it.
 */
export interface DrainSystem {
  /** As the P8 lines name it: sqlite, mysql, bullmq, graphile-worker, undici. */
  readonly name: string;
  /** The Standard Webhooks secret its requests are signed with. */
  readonly secret: string;
  /** Stores `n` due deliveries, sending none of them yet. */
  load(n: number): Promise<void>;
  /** Starts sending what `load` stored, at the bench's concurrency. */
  start(): Promise<void>;
  /** What the system's own books say about the loaded deliveries so far. */
  settled(): Promise<Settled>;
  /** Stops sending and forgets the drain's jobs; the next `load` starts afresh. */
  stop(): Promise<void>;
  /** The server processes (database, Redis) whose CPU each delivery also costs. */
  serverPids(): number[];
  /** Releases everything the system holds, servers included. */
  close(): Promise<void>;
}

/** Jobs a peer stores per round trip while loading. */
const LOAD_BATCH = 1000;

/**
 * The `i`-th job of a peer's `drain`-th backlog: a webhook-id of its own, and a body in the
 * shape of hookgraph's envelope for an event of one row.
 */
export function peerJob(system: string, drain: number, i: number): PeerJob {
  const payload = JSON.stringify({ id: `evt_${drain}_${i}`, type: 'peers.row', timestamp: new Date().toISOString(), data: { id: `r${i}`, n: i, name: 'row' } });
  return { id: `${system}_${drain}_${i}`, payload };
}

/** Hands a backlog of `n` jobs to `store` in batches of LOAD_BATCH. */
export async function loadInBatches(system: string, drain: number, n: number, store: (jobs: PeerJob[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += LOAD_BATCH) {
    await store(Array.from({ length: Math.min(LOAD_BATCH, n - i) }, (_, j) => peerJob(system, drain, i + j)));
  }
}
