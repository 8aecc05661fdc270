import type { Settled } from '../drain-ledger';
import { peerJob, type DrainSystem } from './drain-system';
import { newPeerSecret } from './peer-secret';
import { SignedSender, type PeerJob } from './signed-sender';

/**
 * The floor under every system: the backlog is an array in memory, and `concurrency`
 * loops sign and POST it with nothing stored and nothing recorded but two counters.
 */
export class UndiciPeer implements DrainSystem {
  readonly name = 'undici';
  readonly secret = newPeerSecret();
  private readonly sender: SignedSender;
  private jobs: PeerJob[] = [];
  private outcome: Settled = { delivered: 0, failed: 0 };
  private running: Promise<void> | null = null;
  private drains = 0;

  constructor(
    receiverUrl: string,
    private readonly concurrency: number,
  ) {
    this.sender = new SignedSender(receiverUrl, this.secret);
  }

  async load(n: number): Promise<void> {
    this.drains += 1;
    this.jobs = Array.from({ length: n }, (_, i) => peerJob(this.name, this.drains, i));
    this.outcome = { delivered: 0, failed: 0 };
  }

  async start(): Promise<void> {
    let next = 0;
    const loop = async () => {
      while (next < this.jobs.length) {
        const job = this.jobs[next++]!;
        try {
          await this.sender.send(job);
          this.outcome.delivered += 1;
        } catch {
          this.outcome.failed += 1;
        }
      }
    };
    this.running = Promise.all(Array.from({ length: this.concurrency }, loop)).then(() => undefined);
  }

  async settled(): Promise<Settled> {
    return { ...this.outcome };
  }

  async stop(): Promise<void> {
    await this.running;
    this.running = null;
    this.jobs = [];
  }

  serverPids(): number[] {
    return [];
  }

  async close(): Promise<void> {
    await this.stop();
    await this.sender.close();
  }
}
