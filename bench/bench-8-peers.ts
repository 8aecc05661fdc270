import 'reflect-metadata';
import { LedgerReceiver } from './support/ledger-receiver';
import { median } from './support/percentile';
import { BullmqPeer } from './support/peers/bullmq-peer';
import { drainOnce, type DrainResult } from './support/peers/drain-once';
import type { DrainSystem } from './support/peers/drain-system';
import { GraphilePeer } from './support/peers/graphile-peer';
import { HookgraphSystem } from './support/peers/hookgraph-system';
import { UndiciPeer } from './support/peers/undici-peer';
import { postgresBinDir, POSTGRES_SKIP_MESSAGE } from './support/postgres-cluster';
import { printMetric, type Benchmark, type Ledger } from './support/report';

/**
 * P8, hookgraph against its peers: the same backlog of signed webhook deliveries drained to
 * one local receiver (its own process) at concurrency 64 by hookgraph on SQLite and on
 * MySQL, by a BullMQ worker on a redis-server of its own, by graphile-worker with its
 * batching on, on a PostgreSQL cluster of its own, and by a raw undici loop that stores
 * nothing. Every peer signs with `standardwebhooks` and sends with undici. Each system
 * drains a warm-up backlog, then one backlog a round, the systems in turn (the first of
 * the turn moving by one each round); rates and CPU per delivery are the rounds' medians.
 * Without PostgreSQL binaries the graphile-worker part is skipped with a message.
 */
const CONCURRENCY = 64;
const HOOKGRAPH = ['sqlite', 'mysql'];

export const run: Benchmark = async ({ quick, mysqlUrl }) => {
  const n = Number(process.env.BENCH_PEERS_N) || (quick ? 5_000 : 20_000);
  const rounds = Number(process.env.BENCH_PEERS_ROUNDS) || (quick ? 1 : 3);
  const warmUp = Math.min(n, 5_000);
  const receiver = await LedgerReceiver.start();
  const systems: DrainSystem[] = [];
  const ledgers: Ledger[] = [];
  try {
    systems.push(await HookgraphSystem.start('sqlite', undefined, receiver.url, CONCURRENCY));
    if (mysqlUrl) systems.push(await HookgraphSystem.start('mysql', mysqlUrl, receiver.url, CONCURRENCY));
    systems.push(await BullmqPeer.start(receiver.url, CONCURRENCY));
    const postgres = postgresBinDir();
    if (postgres) systems.push(await GraphilePeer.start(postgres, receiver.url, CONCURRENCY));
    else console.error(`# P8 graphile-worker skipped: ${POSTGRES_SKIP_MESSAGE}`);
    systems.push(new UndiciPeer(receiver.url, CONCURRENCY));

    for (const system of systems) ledgers.push((await drainOnce(system, receiver, warmUp, `${system.name} warm-up`)).ledger);
    const results = new Map<string, DrainResult[]>(systems.map((s) => [s.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < systems.length; turn++) {
        const system = systems[(round + turn) % systems.length]!;
        const result = await drainOnce(system, receiver, n, `${system.name} round ${round + 1}`);
        console.error(
          `# P8 round ${round + 1} ${system.name}: ${result.rate.toFixed(0)} deliveries/s, ${result.cpuPerDeliveryUs.toFixed(0)} µs CPU per delivery, ` +
            `receiver ${result.receiverCpuUs.toFixed(0)} µs, machine ${(result.machineBusy * 100).toFixed(0)} % busy`,
        );
        results.get(system.name)!.push(result);
        ledgers.push(result.ledger);
      }
    }
    printLines(results);
  } finally {
    // Every system is closed, even after one fails to: each holds servers of its own.
    const closed = await Promise.allSettled(systems.reverse().map((system) => system.close()));
    await receiver.stop();
    for (const c of closed) if (c.status === 'rejected') console.error('# P8: closing a system failed:', c.reason);
  }
  return ledgers;
};

function printLines(results: Map<string, DrainResult[]>): void {
  const rate = (name: string) => median(results.get(name)!.map((r) => r.rate));
  const cpu = (name: string) => median(results.get(name)!.map((r) => r.cpuPerDeliveryUs));
  const peers = [...results.keys()].filter((name) => !HOOKGRAPH.includes(name));
  const hookgraphs = [...results.keys()].filter((name) => HOOKGRAPH.includes(name));
  for (const hookgraph of hookgraphs) {
    for (const peer of peers) printMetric({ id: 'P8', variant: `${hookgraph}-vs-${peer}`, value: rate(hookgraph), baseline: rate(peer), unit: 'deliveries/s' });
  }
  // How much of the machine each system kept busy: a system near 100 % is bound by the
  // machine's cores (its own CPU plus the receiver's), and another can pass it only by
  // spending less CPU per delivery, not by doing its work in parallel.
  for (const name of results.keys()) {
    const busy = median(results.get(name)!.map((r) => r.machineBusy));
    const receiverUs = median(results.get(name)!.map((r) => r.receiverCpuUs));
    console.error(`# P8 ${name}: machine ${(busy * 100).toFixed(0)} % busy, receiver ${receiverUs.toFixed(0)} µs CPU per delivery (medians)`);
  }
  // CPU per delivery of each system against the raw loop's, the least any system can spend.
  for (const name of results.keys()) printMetric({ id: 'P8', variant: `cpu-${name}`, value: cpu(name), baseline: cpu('undici'), unit: 'cpu-us/delivery' });
}
