import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CompletionWriter, type Finished } from '../../src/dispatch/completion-writer';
import type { AttemptOutcome } from '../../src/domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { newId } from '../../src/domain/common/ids';
import { HOUR, MINUTE, SECOND } from '../../src/domain/common/time';
import type { TestApp } from '../support/app';
import { publish } from '../support/publish';
import { forEachDatabase } from '../support/suite';
import { route } from './dispatch-support';

const WORKER = 'stats-test';

/** `count` deliveries to one destination, leased to WORKER as a claim would leave them (no dispatcher runs here). */
async function leased(t: TestApp, count: number): Promise<{ destinationId: string; deliveries: DeliveryEntity[] }> {
  const r = await route(t, 'http://127.0.0.1:9/unused');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await publish(t, { type: r.type })).deliveryId);
  const { db } = t.app.services;
  await db.dataSource.query(`UPDATE deliveries SET status = 'IN_FLIGHT', lease_owner = ?, due_at = ? WHERE destination_id = ?`, [
    WORKER,
    Date.now() + 60_000,
    r.destinationId,
  ]);
  const rows = (await db.dataSource.query(`SELECT id, tenant_id FROM deliveries WHERE destination_id = ? ORDER BY id`, [r.destinationId])) as {
    id: string;
    tenant_id: string;
  }[];
  return {
    destinationId: r.destinationId,
    deliveries: rows.map((row) => ({ id: row.id, destinationId: r.destinationId, tenantId: row.tenant_id }) as DeliveryEntity),
  };
}

/** A delivery's one attempt, made at `at` and taking `durationMs`, as the sender hands it to the writer. */
function attempted(delivery: DeliveryEntity, at: number, outcome: AttemptOutcome, durationMs: number): Finished {
  const status = outcome === 'SUCCESS' ? 200 : 500;
  return {
    delivery,
    attempt: {
      id: newId('attempt'),
      deliveryId: delivery.id,
      attemptNumber: 1,
      requestMethod: 'POST',
      requestUrl: 'http://127.0.0.1:9/unused',
      requestHeaders: [],
      requestBody: '{}',
      requestBodyRecipe: null,
      responseStatusCode: status,
      responseHeaders: [],
      responseBody: '',
      responseTruncated: false,
      durationMs,
      outcome,
      error: outcome === 'SUCCESS' ? null : 'HTTP 500',
      createdAt: new Date(at),
    },
    completion: {
      id: delivery.id,
      status: outcome === 'SUCCESS' ? 'SUCCEEDED' : 'FAILED',
      attemptCount: 1,
      dueAt: null,
      lastStatusCode: status,
      lastError: null,
    },
    disableDestination: null,
    health: null,
  };
}

const STATS = 'attempts successes failures successRate p50Ms p95Ms bucketSeconds series { start attempts successes failures p50Ms p95Ms }';

async function destinationStats(t: TestApp, id: string, since: number, until: number) {
  const res = await t.gql(
    `query($id: ID!, $s: DateTimeISO!, $u: DateTimeISO!) { node(id: $id) { ... on Destination { stats(since: $s, until: $u) { ${STATS} } } } }`,
    {
      id,
      s: new Date(since).toISOString(),
      u: new Date(until).toISOString(),
    },
  );
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data.node.stats;
}

/**
 * The rollup as the completion writer keeps it, with attempts made at chosen times: the
 * buckets they land in do not depend on when the test runs.
 */
forEachDatabase(
  'attempt statistics rollup',
  (ctx) => {
    it('adds each batch to its destination’s minutes, and reads them back by minute and by hour', async () => {
      const t = ctx();
      const { destinationId, deliveries } = await leased(t, 4);
      const [d1, d2, d3, d4] = deliveries as [DeliveryEntity, DeliveryEntity, DeliveryEntity, DeliveryEntity];
      // Three hours ago, on the hour.
      const base = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
      const writer = new CompletionWriter(t.app.services.db, WORKER, { onError: (e) => assert.fail(e) });
      try {
        await Promise.all([writer.write(attempted(d1, base + 10 * SECOND, 'SUCCESS', 12)), writer.write(attempted(d2, base + 50 * SECOND, 'HTTP_ERROR', 700))]);
        // A later batch adds to the minute the first one wrote, and starts the next.
        await Promise.all([writer.write(attempted(d3, base + MINUTE - 1, 'SUCCESS', 20)), writer.write(attempted(d4, base + MINUTE, 'SUCCESS', 40))]);
      } finally {
        await writer.drain();
        writer.close();
      }

      const minutes = await destinationStats(t, destinationId, base, base + 2 * MINUTE);
      assert.deepEqual(
        {
          attempts: minutes.attempts,
          successes: minutes.successes,
          failures: minutes.failures,
          successRate: minutes.successRate,
          bucketSeconds: minutes.bucketSeconds,
        },
        { attempts: 4, successes: 3, failures: 1, successRate: 0.75, bucketSeconds: 60 },
      );
      assert.deepEqual(
        minutes.series.map((b: { start: string; attempts: number; successes: number; failures: number }) => [b.start, b.attempts, b.successes, b.failures]),
        [
          [new Date(base).toISOString(), 3, 2, 1],
          [new Date(base + MINUTE).toISOString(), 1, 1, 0],
        ],
      );
      // 12, 20 ms and 700 ms in the first minute: the median in 16–32 ms, p95 in 512–1024 ms.
      const [first, second] = minutes.series;
      assert.ok(first.p50Ms >= 16 && first.p50Ms <= 32, `p50 ${first.p50Ms}`);
      assert.ok(first.p95Ms >= 512 && first.p95Ms <= 1024, `p95 ${first.p95Ms}`);
      assert.ok(second.p50Ms >= 32 && second.p50Ms <= 64, `lone p50 ${second.p50Ms}`);

      // Three hours around it: a bucket per hour, on the hour.
      const hours = await destinationStats(t, destinationId, base - HOUR + 5 * MINUTE, base + 2 * HOUR);
      assert.equal(hours.bucketSeconds, 3600);
      assert.deepEqual(
        hours.series.map((b: { start: string; attempts: number; p50Ms: number | null }) => [b.start, b.attempts, b.p50Ms === null]),
        [
          [new Date(base - HOUR).toISOString(), 0, true],
          [new Date(base).toISOString(), 4, false],
          [new Date(base + HOUR).toISOString(), 0, true],
        ],
      );

      // Past two hours, the minutes before the first whole hour count, and only those.
      const edge = await destinationStats(t, destinationId, base + MINUTE, base + 3 * HOUR);
      assert.deepEqual([edge.bucketSeconds, edge.attempts, edge.series[0].attempts], [3600, 1, 1]);

      // A window without attempts: zeros, and neither rate nor latency.
      const quiet = await destinationStats(t, destinationId, base + 2 * MINUTE, base + 5 * MINUTE);
      assert.deepEqual(
        { attempts: quiet.attempts, successRate: quiet.successRate, p50Ms: quiet.p50Ms, p95Ms: quiet.p95Ms, buckets: quiet.series.length },
        { attempts: 0, successRate: null, p50Ms: null, p95Ms: null, buckets: 3 },
      );

      // The tenant's statistics hold the same minutes.
      const tenant = await t.gql(
        `query($s: DateTimeISO!, $u: DateTimeISO!) { tenant(uid: "default") { stats(since: $s, until: $u) { attempts failures series { attempts } } } }`,
        {
          s: new Date(base).toISOString(),
          u: new Date(base + 2 * MINUTE).toISOString(),
        },
      );
      assert.deepEqual(tenant.data.tenant.stats, { attempts: 4, failures: 1, series: [{ attempts: 3 }, { attempts: 1 }] });
    });
  },
  { HOOKGRAPH_WORKER_ENABLED: 'false' },
);
