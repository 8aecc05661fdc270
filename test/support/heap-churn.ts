import v8 from 'node:v8';
import { limitHeapGrowth } from '../../src/cli/heap-growth';

/**
 * Run as `HOOKGRAPH_HEAP_CHURN=1 node --expose-gc heap-churn.js` (without the variable it
 * does nothing: the test runner loads every file under test/): sets the server's heap
 * growth, then allocates like a busy server (a steady live set, and a window of in-flight
 * records that each outlive two scavenges and then die in the old generation). Prints
 * the old generation's largest size over the run against the live set, as JSON.
 */
if (process.env.HOOKGRAPH_HEAP_CHURN === '1') run();

function run(): void {
  limitHeapGrowth();
  const oldSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!;
  const live = Array.from({ length: 200_000 }, (_, i) => ({ id: `rec_${i}`, n: i, tags: [i, i + 1] }));
  const inFlight = new Array<unknown>(100_000);
  let peak = 0;
  function churn(records: number, measure: boolean): void {
    for (let i = 0; i < records; i += 1) {
      inFlight[i % inFlight.length] = { id: `req_${i}`, body: { n: i, list: [i, i, i] } };
      if (measure && i % 10_000 === 0) peak = Math.max(peak, oldSpace().space_size);
    }
  }
  // The first full collections follow V8's initial limit, not the growth factor.
  churn(3_000_000, false);
  churn(6_000_000, true);
  (globalThis as { gc?: () => void }).gc!();
  process.stdout.write(JSON.stringify({ peakToLive: peak / oldSpace().space_used_size, records: live.length }) + '\n');
}
