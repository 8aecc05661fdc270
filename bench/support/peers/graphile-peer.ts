import { Logger, makeWorkerUtils, run, type Runner, type WorkerUtils } from 'graphile-worker';
import { PostgresCluster } from '../postgres-cluster';
import type { Settled } from '../drain-ledger';
import { loadInBatches, type DrainSystem } from './drain-system';
import { newPeerSecret } from './peer-secret';
import { SignedSender, type PeerJob } from './signed-sender';

const TASK = 'deliver';
/** graphile-worker logs every job at info: the bench keeps only errors. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error') console.error(`# graphile-worker: ${message}`);
});

/**
 * graphile-worker on a PostgreSQL cluster of its own, with its batching on: a local queue
 * that fetches (and locks) jobs in batches of concurrency + 1, as its docs recommend, and
 * completions and failures written in batches (a batch delay of 0 ms: whatever completed
 * in the same tick of the event loop goes in one statement).
 */
export class GraphilePeer implements DrainSystem {
  readonly name = 'graphile-worker';
  readonly secret = newPeerSecret();
  private readonly sender: SignedSender;
  private runner: Runner | null = null;
  private loaded = 0;
  private drains = 0;

  private constructor(
    private readonly cluster: PostgresCluster,
    private readonly utils: WorkerUtils,
    receiverUrl: string,
    private readonly concurrency: number,
  ) {
    this.sender = new SignedSender(receiverUrl, this.secret);
  }

  static async start(bin: string, receiverUrl: string, concurrency: number): Promise<GraphilePeer> {
    const cluster = await PostgresCluster.start(bin);
    try {
      const utils = await makeWorkerUtils({ connectionString: cluster.url, logger: quietLogger });
      await utils.migrate();
      return new GraphilePeer(cluster, utils, receiverUrl, concurrency);
    } catch (error) {
      cluster.stop();
      throw error;
    }
  }

  async load(n: number): Promise<void> {
    this.drains += 1;
    await loadInBatches(this.name, this.drains, n, (jobs) => this.utils.addJobs(jobs.map((payload) => ({ identifier: TASK, payload, maxAttempts: 5 }))));
    this.loaded = n;
  }

  async start(): Promise<void> {
    this.runner = await run({
      connectionString: this.cluster.url,
      concurrency: this.concurrency,
      noHandleSignals: true,
      logger: quietLogger,
      taskList: { [TASK]: (payload) => this.sender.send(payload as PeerJob) },
      preset: { worker: { localQueue: { size: this.concurrency + 1 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
  }

  /** graphile-worker deletes a job once it completes: what is left has failed (for good, or for now). */
  async settled(): Promise<Settled> {
    const rows = await this.utils.withPgClient((client) =>
      client.query<{ remaining: string; failed: string }>(
        `SELECT count(*) AS remaining, count(*) FILTER (WHERE attempts >= max_attempts) AS failed FROM graphile_worker.jobs WHERE task_identifier = $1`,
        [TASK],
      ),
    );
    const remaining = Number(rows.rows[0]!.remaining);
    return { delivered: this.loaded - remaining, failed: Number(rows.rows[0]!.failed) };
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = null;
    await this.utils.withPgClient((client) => client.query(`DELETE FROM graphile_worker._private_jobs`));
    this.loaded = 0;
  }

  serverPids(): number[] {
    return [this.cluster.pid];
  }

  async close(): Promise<void> {
    try {
      await this.stop();
      await this.sender.close();
      await this.utils.release();
    } finally {
      this.cluster.stop();
    }
  }
}
