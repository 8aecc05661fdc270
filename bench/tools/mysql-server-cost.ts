import 'reflect-metadata';
import { Database } from '../../src/database/database';
import { mysqlQuery } from '../../src/database/mysql-query';
import { ClaimCursor } from '../../src/dispatch/claim-cursor';
import { claimDue } from '../../src/sql/claim-due';
import { completeDeliveries } from '../../src/sql/complete-deliveries';
import { InactiveDestinations } from '../../src/dispatch/inactive-destinations';
import { insertAttemptsStatement } from '../../src/sql/insert-attempts';
import type { DeliveryAttemptEntity } from '../../src/domain/delivery/delivery-attempt.entity';
import { freshDatabase } from '../../test/support/databases';
import { cpuMs, databaseServerPid } from '../support/process-cpu';

/**
 * MariaDB's own CPU per delivery for the dispatcher's queue statements (claims of 30,
 * completion batches of 30 with their attempts), read from /proc for the server process
 * while this process runs them one after the other on an otherwise idle server:
 *
 *   node dist/bench/tools/mysql-server-cost.js   (BENCH_MYSQL_URL, default root@127.0.0.1; BENCH_COST_BATCH)
 *
 * It explains the P1 MySQL ceiling on a 2-core machine (BENCHMARKS.md); it is not one
 * of the metrics, and `npm run bench` does not run it.
 */
const DELIVERIES = 6000;
/** Rows per claim and per completion batch (BENCH_COST_BATCH; the dispatcher claims up to 128). */
const BATCH = Number(process.env.BENCH_COST_BATCH) || 30;

async function main(): Promise<void> {
  const fresh = await freshDatabase('mysql', process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/');
  const db = await Database.open(fresh.config);
  try {
    await db.migrate();
    const now = Date.now();
    for (let i = 0; i < DELIVERIES; i += 500) {
      const rows = Array.from({ length: 500 }, (_, j) => [`dlv_${i + j}`, 'evt_1', 'whk_1', 'dst_1', 'bench.row', 'PENDING', 'AUTOMATIC', 0, now, now, now]);
      await mysqlQuery(
        db.mysql.pool(),
        'INSERT INTO deliveries (id, event_id, webhook_id, destination_id, event_type, status, `trigger`, attempt_count, due_at, created_at, updated_at) VALUES ?',
        [rows],
      );
    }
    const pid = databaseServerPid();
    const server = () => cpuMs(pid);
    const inactive = new InactiveDestinations();
    // As the dispatcher claims (BENCH_NO_CURSOR=1: every claim from the start of the index).
    const cursor = new ClaimCursor();
    const useCursor = !process.env.BENCH_NO_CURSOR;
    let claimMs = 0;
    let completeMs = 0;
    for (let done = 0; done < DELIVERIES; done += BATCH) {
      let before = server();
      const claimAt = new Date();
      const after = useCursor ? cursor.from(claimAt.getTime()) : null;
      const { claimed, last } = await db.queueTransaction((tx) =>
        claimDue(tx, { workerId: 'cost', now: claimAt, leaseMs: 150_000, limit: BATCH, inactive, after }),
      );
      cursor.passed(last, claimed.length === BATCH);
      claimMs += server() - before;
      before = server();
      const at = new Date();
      const attempts = claimed.map((c) => attempt(c.delivery.id, at));
      await db.queueTransaction((tx) =>
        completeDeliveries(
          tx,
          'cost',
          claimed.map((c) => ({ id: c.delivery.id, status: 'SUCCEEDED', attemptCount: 1, dueAt: null, lastStatusCode: 200, lastError: null })),
          at,
          [insertAttemptsStatement(db.dialect, attempts)],
        ),
      );
      completeMs += server() - before;
    }
    const perDelivery = (ms: number) => Math.round((ms * 1000) / DELIVERIES);
    console.log(
      `mariadbd CPU per delivery: claim ${perDelivery(claimMs)} µs, completion with its attempt ${perDelivery(completeMs)} µs, total ${perDelivery(claimMs + completeMs)} µs`,
    );
  } finally {
    await db.close();
    await fresh.drop();
  }
}

/** An attempt the size of a real one: eleven request headers, the JSON envelope, a short answer. */
function attempt(deliveryId: string, at: Date): DeliveryAttemptEntity {
  return {
    id: `att_${deliveryId}`,
    deliveryId,
    attemptNumber: 1,
    requestMethod: 'POST',
    requestUrl: 'http://127.0.0.1:8080/hook',
    requestHeaders: Array.from({ length: 11 }, (_, i) => ({ name: `X-Hookgraph-Header-${i}`, value: 'v'.repeat(40) })),
    requestBody: JSON.stringify({ id: 'evt_x', type: 'bench.row', timestamp: at.toISOString(), data: { n: 1, name: 'row' }, meta: { deliveryId, attempt: 1 } }),
    requestBodyRecipe: null,
    responseStatusCode: 200,
    responseHeaders: [{ name: 'content-type', value: 'text/plain' }],
    responseBody: 'ok',
    responseTruncated: false,
    durationMs: 1,
    outcome: 'SUCCESS',
    error: null,
    createdAt: at,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
