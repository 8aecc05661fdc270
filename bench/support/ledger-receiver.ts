import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { StandardWebhookHeaders } from '../../test/support/standard-webhooks';

/** A request as the receiver kept it for the signature check. */
export interface ReceivedRequest {
  headers: StandardWebhookHeaders;
  body: string;
}

export interface ReceiverStats {
  requests: number;
  distinct: number;
  /** Filled only when asked for the sample. */
  sample: ReceivedRequest[];
}

export type ReceiverCommand = 'reset' | 'stats' | 'sample';

/** The parent's handle on the receiver process (ledger-receiver.child.ts). */
export class LedgerReceiver {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<LedgerReceiver> {
    const child = fork(path.join(__dirname, 'ledger-receiver.child.js'), [], { stdio: 'inherit' });
    const [{ port }] = (await once(child, 'message')) as [{ port: number }];
    return new LedgerReceiver(child, `http://127.0.0.1:${port}/hook`);
  }

  get pid(): number {
    return this.child.pid!;
  }

  async ask(command: ReceiverCommand): Promise<ReceiverStats> {
    const answer = once(this.child, 'message') as Promise<[ReceiverStats]>;
    this.child.send(command);
    return (await answer)[0];
  }

  async stop(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.kill();
    await exited;
  }
}
