import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const CHURN = path.resolve(__dirname, '../support/heap-churn.js');

async function peakToLive(nodeFlags: string[]): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', ...nodeFlags, CHURN], {
    env: { ...process.env, HOOKGRAPH_HEAP_CHURN: '1' },
  });
  return (JSON.parse(stdout) as { peakToLive: number }).peakToLive;
}

/**
 * The growth factor is fixed by the flag, not derived from the GC's speed: these hold on
 * any machine. At 30 % the old generation peaks near 1.7× its live set (the factor, plus
 * V8's minimum step and pages not yet swept); left to V8 on a machine with memory to
 * spare, near 4.6×.
 */
describe('the server heap growth', () => {
  it('keeps the old generation near its live set while garbage is promoted into it', async () => {
    const ratio = await peakToLive([]);
    assert.ok(ratio < 2.5, `the old generation peaked at ${ratio.toFixed(2)}× its live set`);
  });

  it('leaves a growth given on node’s command line', async () => {
    const ratio = await peakToLive(['--heap-growing-percent=300']);
    assert.ok(ratio > 2.5, `with 300 % the old generation may reach 4× its live set; it peaked at ${ratio.toFixed(2)}×`);
  });
});
