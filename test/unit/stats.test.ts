import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LATENCY_BUCKET_FLOORS_MS, emptyHistogram, latencyBucket, percentileMs } from '../../src/domain/stats/latency-histogram';
import { rollUp } from '../../src/domain/stats/stats-rollup';
import { statsReads, statsWindow } from '../../src/domain/stats/stats-window';
import { HOUR, MINUTE } from '../../src/domain/common/time';
import { UserError } from '../../src/domain/common/user-error';

/** A histogram of these latencies. */
function histogramOf(latencies: number[]): number[] {
  const counts = emptyHistogram();
  for (const ms of latencies) counts[latencyBucket(ms)]! += 1;
  return counts;
}

/** The exact nearest-rank percentile. */
function exact(latencies: number[], q: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil(q * sorted.length), 1) - 1]!;
}

/** The bounds of the bucket a latency falls in: what an estimate of it may be. */
function bucketBounds(ms: number): [number, number] {
  const i = latencyBucket(ms);
  return [LATENCY_BUCKET_FLOORS_MS[i]!, LATENCY_BUCKET_FLOORS_MS[i + 1] ?? Infinity];
}

describe('latency histogram', () => {
  it('puts each latency in the bucket of its power of two', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 7, 8, 1000, 65_535, 65_536, 10_000_000].map(latencyBucket), [0, 1, 2, 2, 3, 3, 4, 10, 16, 17, 17]);
    assert.equal(LATENCY_BUCKET_FLOORS_MS.length, 18);
    assert.equal(latencyBucket(-5), 0, 'a clock step backwards counts as instant');
  });

  it('has no percentile without attempts', () => {
    assert.equal(percentileMs(emptyHistogram(), 0.5), null);
  });

  it('places a rank linearly inside its bucket', () => {
    // Four attempts of 64–127 ms: the median is halfway into the bucket.
    assert.equal(percentileMs(histogramOf([70, 80, 90, 100]), 0.5), 96);
    // 19 fast and one slow: p95 is the last fast one's bucket's ceiling, p50 inside it.
    const latencies = [...Array<number>(19).fill(3), 300];
    assert.equal(percentileMs(histogramOf(latencies), 0.95), 4);
    assert.equal(percentileMs(histogramOf(latencies), 0.5), 3);
    // The open last bucket answers with its floor.
    assert.equal(percentileMs(histogramOf([100_000]), 0.5), 65_536);
  });

  it('estimates p50 and p95 within the bucket of the exact value', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let run = 0; run < 200; run++) {
      const latencies = Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(Math.exp(random() * 10)));
      const counts = histogramOf(latencies);
      for (const q of [0.5, 0.95]) {
        const [floor, ceiling] = bucketBounds(exact(latencies, q));
        const estimate = percentileMs(counts, q)!;
        assert.ok(estimate >= floor && estimate <= ceiling, `p${q * 100} of ${latencies.length}: ${estimate} outside [${floor}, ${ceiling}]`);
      }
    }
  });
});

describe('rollup', () => {
  it('sums a batch per destination and minute, in key order', () => {
    const at = (iso: string) => new Date(iso);
    const attempts = [
      { destinationId: 'dst_b', tenantId: 't1', at: at('2026-01-01T10:00:59.999Z'), succeeded: true, durationMs: 5 },
      { destinationId: 'dst_a', tenantId: 't1', at: at('2026-01-01T10:01:00.000Z'), succeeded: false, durationMs: 300 },
      { destinationId: 'dst_b', tenantId: 't1', at: at('2026-01-01T10:00:00.000Z'), succeeded: false, durationMs: 0 },
      { destinationId: 'dst_a', tenantId: 't1', at: at('2026-01-01T10:01:30.000Z'), succeeded: true, durationMs: 6 },
    ];
    const rows = rollUp(attempts, MINUTE);
    assert.deepEqual(
      rows.map((r) => [r.destinationId, new Date(r.start).toISOString(), r.attempts, r.successes, r.failures]),
      [
        ['dst_a', '2026-01-01T10:01:00.000Z', 2, 1, 1],
        ['dst_b', '2026-01-01T10:00:00.000Z', 2, 1, 1],
      ],
    );
    assert.deepEqual(rows[0]!.latency, histogramOf([300, 6]));
    assert.deepEqual(rows[1]!.latency, histogramOf([5, 0]));
    // By the hour: one row per destination.
    assert.deepEqual(
      rollUp(attempts, HOUR).map((r) => [r.destinationId, new Date(r.start).toISOString(), r.attempts]),
      [
        ['dst_a', '2026-01-01T10:00:00.000Z', 2],
        ['dst_b', '2026-01-01T10:00:00.000Z', 2],
      ],
    );
  });
});

describe('stats window', () => {
  const t = (iso: string) => new Date(iso);

  it('has a bucket per minute up to two hours, counting every minute it overlaps', () => {
    const w = statsWindow(t('2026-01-01T10:00:30Z'), t('2026-01-01T10:03:10Z'));
    assert.equal(w.bucketMs, 60_000);
    assert.equal(w.from, t('2026-01-01T10:00:00Z').getTime());
    assert.deepEqual(
      w.bucketStarts.map((b) => new Date(b).toISOString().slice(11, 16)),
      ['10:00', '10:01', '10:02', '10:03'],
    );
    assert.equal(statsWindow(t('2026-01-01T10:00:00Z'), t('2026-01-01T12:00:00Z')).bucketStarts.length, 120);
  });

  it('has a bucket per hour beyond two hours, aligned to the hour', () => {
    const w = statsWindow(t('2026-01-01T10:20:00Z'), t('2026-01-02T10:20:00Z'));
    assert.equal(w.bucketMs, 3_600_000);
    assert.equal(w.bucketStarts.length, 25);
    assert.equal(new Date(w.bucketStarts[0]!).toISOString(), '2026-01-01T10:00:00.000Z');
    assert.equal(statsWindow(t('2026-01-01T00:00:00Z'), t('2026-02-01T00:00:00Z')).bucketStarts.length, 744);
  });

  it('reads whole hours from the hour rows and the minutes around them from the minute rows', () => {
    const reads = (since: string, until: string) =>
      statsReads(statsWindow(t(since), t(until))).map((r) => [
        r.spanMs === HOUR ? 'hours' : 'minutes',
        new Date(r.from).toISOString().slice(11, 16),
        new Date(r.until).toISOString().slice(11, 16),
      ]);
    assert.deepEqual(reads('2026-01-01T10:20:30Z', '2026-01-01T11:00:00Z'), [['minutes', '10:20', '11:00']]);
    assert.deepEqual(reads('2026-01-01T10:20:30Z', '2026-01-01T14:05:00Z'), [
      ['minutes', '10:20', '11:00'],
      ['hours', '11:00', '14:00'],
      ['minutes', '14:00', '14:05'],
    ]);
    assert.deepEqual(reads('2026-01-01T10:00:00Z', '2026-01-01T14:00:00Z'), [['hours', '10:00', '14:00']]);
    assert.deepEqual(reads('2026-01-01T10:20:00Z', '2026-01-01T12:40:00Z'), [
      ['minutes', '10:20', '11:00'],
      ['hours', '11:00', '12:00'],
      ['minutes', '12:00', '12:40'],
    ]);
  });

  it('refuses an empty, reversed or too long window', () => {
    const refused = (since: string, until: string, message: RegExp) =>
      assert.throws(
        () => statsWindow(t(since), t(until)),
        (e: unknown) => e instanceof UserError && message.test(e.message),
      );
    refused('2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', /until must be later than since/);
    refused('2026-01-01T10:00:00Z', '2026-01-01T09:00:00Z', /until must be later than since/);
    refused('2026-01-01T00:00:00Z', '2026-02-01T00:00:01Z', /at most 31 days/);
  });
});
