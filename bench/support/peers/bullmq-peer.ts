import { Queue, Worker } from 'bullmq';
import { RedisServer } from '../redis-server';
import type { Settled } from '../drain-ledger';
import { loadInBatches, type DrainSystem } from './drain-system';
import { newPeerSecret } from './peer-secret';
import { SignedSender, type PeerJob } from './signed-sender';

/** A failed send is retried, as hookgraph retries it (none fails against the bench's receiver). */
const JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 200 } } as const;

/**
 * BullMQ on a redis-server of its own (no persistence): each drain's backlog is one queue of
 * jobs added in bulk; a Worker at the bench's concurrency signs and sends each job.
 * Completed jobs are kept (BullMQ's default), as hookgraph keeps its deliveries.
 */
export class BullmqPeer implements DrainSystem {
  readonly name = 'bullmq';
  readonly secret = newPeerSecret();
  private readonly sender: SignedSender;
  private queue: Queue<PeerJob> | null = null;
  private worker: Worker<PeerJob> | null = null;
  private drains = 0;

  private constructor(
    private readonly redis: RedisServer,
    receiverUrl: string,
    private readonly concurrency: number,
  ) {
    this.sender = new SignedSender(receiverUrl, this.secret);
  }

  static async start(receiverUrl: string, concurrency: number): Promise<BullmqPeer> {
    return new BullmqPeer(await RedisServer.start(), receiverUrl, concurrency);
  }

  private get connection() {
    return { host: '127.0.0.1', port: this.redis.port };
  }

  async load(n: number): Promise<void> {
    this.drains += 1;
    const name = `deliveries-${this.drains}`;
    this.queue = new Queue<PeerJob>(name, { connection: this.connection });
    const queue = this.queue;
    await loadInBatches(this.name, this.drains, n, (jobs) => queue.addBulk(jobs.map((data) => ({ name: 'deliver', data, opts: JOB_OPTIONS }))));
    this.worker = new Worker<PeerJob>(name, (job) => this.sender.send(job.data), {
      connection: this.connection,
      concurrency: this.concurrency,
      autorun: false,
    });
  }

  async start(): Promise<void> {
    const worker = this.worker!;
    // run() settles when the worker closes; an error while running is the drain's failure.
    worker.run().catch((error: unknown) => console.error('# bullmq worker:', error));
  }

  async settled(): Promise<Settled> {
    const counts = await this.queue!.getJobCounts('completed', 'failed');
    return { delivered: counts.completed ?? 0, failed: counts.failed ?? 0 };
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue?.obliterate({ force: true });
    await this.queue?.close();
    this.worker = null;
    this.queue = null;
  }

  serverPids(): number[] {
    return [this.redis.pid];
  }

  async close(): Promise<void> {
    try {
      await this.stop();
      await this.sender.close();
    } finally {
      await this.redis.stop();
    }
  }
}
