import type { Settled } from '../drain-ledger';

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

/** How the peers' bodies read: the shape of hookgraph's envelope for an event of one row. */
export function samplePayload(id: string, n: number): string {
  return JSON.stringify({ id, type: 'peers.row', timestamp: new Date().toISOString(), data: { id: `r${n}`, n, name: 'row' } });
}
