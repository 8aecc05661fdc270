import { performance } from 'node:perf_hooks';
import { drainLedger } from '../drain-ledger';
import type { LedgerReceiver } from '../ledger-receiver';
import { cpuMs, machineTicks, processTreeCpuMs } from '../process-cpu';
import type { Ledger } from '../report';
import { waitUntil } from '../wait';
import type { DrainSystem } from './drain-system';

export interface DrainResult {
  /** Deliveries a second: from the start to the receiver having every webhook-id. */
  rate: number;
  /** CPU of this process and of the system's servers, per delivery, in µs (the receiver's is left out: every system pays the same). */
  cpuPerDeliveryUs: number;
  /** The receiver's CPU per delivery, in µs: what the machine spends on the far end. */
  receiverCpuUs: number;
  /** The share of the whole machine's CPU (all cores) busy during the drain, 0–1: near 1, the machine, not the system's design, sets the rate. */
  machineBusy: number;
  ledger: Ledger;
}

/** How long one drain may take before the bench gives up on it. */
const DRAIN_TIMEOUT_MS = 300_000;

/**
 * Drains `n` pre-loaded deliveries through `system` to the receiver, timing from the
 * system's start until the receiver has seen `n` distinct webhook-ids, then waits for the
 * system's books to settle and stops it. The ledger checks both ends.
 */
export async function drainOnce(system: DrainSystem, receiver: LedgerReceiver, n: number, label = system.name): Promise<DrainResult> {
  await system.load(n);
  await receiver.ask('reset');
  const cpu = () => cpuMs(process.pid) + system.serverPids().reduce((sum, pid) => sum + processTreeCpuMs(pid), 0);
  const cpu0 = cpu();
  const receiverCpu0 = cpuMs(receiver.pid);
  const ticks0 = machineTicks();
  const started = performance.now();
  await system.start();
  try {
    await waitUntil(async () => (await receiver.ask('stats')).distinct >= n, DRAIN_TIMEOUT_MS, 5);
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = cpu() - cpu0;
    const receiverCpu = cpuMs(receiver.pid) - receiverCpu0;
    const ticks = machineTicks();
    const machineBusy = 1 - (ticks.idle - ticks0.idle) / Math.max(1, ticks.total - ticks0.total);
    await waitUntil(async () => {
      const s = await system.settled();
      return s.delivered + s.failed >= n;
    }, DRAIN_TIMEOUT_MS);
    const ledger = drainLedger(`P8 ${label}`, n, await system.settled(), await receiver.ask('sample'), system.secret);
    return { rate: n / seconds, cpuPerDeliveryUs: (cpuUsed * 1000) / n, receiverCpuUs: (receiverCpu * 1000) / n, machineBusy, ledger };
  } finally {
    await system.stop();
  }
}
