import type { Dispatcher } from '../../../src/dispatch/dispatcher';
import { EVERY_TENANT } from '../../../src/domain/tenant/scope';
import { DEFAULT_TENANT_ID } from '../../../src/domain/tenant/tenant.entity';
import type { Settled } from '../drain-ledger';
import { newDispatcher, startBenchApp, type BenchApp, type DatabaseKind } from '../hookgraph-app';
import { databaseServerPid } from '../process-cpu';
import { publishRows } from '../publish-rows';
import { countByStatus } from '../wait';
import type { DrainSystem } from './drain-system';

/**
 * hookgraph itself, drained as P1 drains it: due deliveries published in batches before a
 * dispatcher of their own starts at the bench's concurrency. Each drain has an event type
 * of its own, so its books are its deliveries' statuses.
 */
export class HookgraphSystem implements DrainSystem {
  private dispatcher: Dispatcher | null = null;
  private drains = 0;
  private readonly serverPid: number | null;

  private constructor(
    readonly name: DatabaseKind,
    readonly secret: string,
    private readonly bench: BenchApp,
    private readonly concurrency: number,
  ) {
    this.serverPid = name === 'mysql' ? databaseServerPid() : null;
  }

  static async start(kind: DatabaseKind, mysqlUrl: string | undefined, receiverUrl: string, concurrency: number): Promise<HookgraphSystem> {
    const bench = await startBenchApp(kind, mysqlUrl);
    try {
      const { services } = bench.app;
      const { destination, signingSecret } = await services.destinations.create({ name: 'peers', url: receiverUrl }, DEFAULT_TENANT_ID);
      await services.webhooks.create({ name: 'peers', destinationId: destination.id, eventTypes: ['peers.*'] }, EVERY_TENANT);
      return new HookgraphSystem(kind, signingSecret, bench, concurrency);
    } catch (error) {
      await bench.stop();
      throw error;
    }
  }

  private get type(): string {
    return `peers.d${this.drains}`;
  }

  async load(n: number): Promise<void> {
    this.drains += 1;
    await publishRows(this.bench.app, this.type, n);
  }

  async start(): Promise<void> {
    this.dispatcher = newDispatcher(this.bench.app, this.bench.config, this.concurrency);
    this.dispatcher.start();
  }

  async settled(): Promise<Settled> {
    const c = await countByStatus(this.bench.app, this.type);
    return { delivered: c.succeeded, failed: c.failed };
  }

  async stop(): Promise<void> {
    await this.dispatcher?.stop();
    this.dispatcher = null;
  }

  serverPids(): number[] {
    return this.serverPid === null ? [] : [this.serverPid];
  }

  async close(): Promise<void> {
    await this.stop();
    await this.bench.stop();
  }
}
