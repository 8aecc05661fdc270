import { createConnection } from 'mysql2';
import { mysqlQuery } from '../../src/database/mysql-query';

/**
 * What one round trip to MySQL costs this process in CPU (`SELECT 1`, one after the
 * other, then with a pause before each, as the dispatcher's sparse queries meet a server
 * thread that has gone to sleep):
 *
 *   node dist/bench/tools/mysql-round-trip.js   (BENCH_MYSQL_URL, default root@127.0.0.1)
 *
 * It explains why the queue counts round trips (BENCHMARKS.md); it is not one of the
 * metrics, and `npm run bench` does not run it.
 */
async function main(): Promise<void> {
  const connection = createConnection({ uri: process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/' });
  try {
    for (let i = 0; i < 500; i++) await mysqlQuery(connection, 'SELECT 1');
    for (const [label, pauseMs, n] of [
      ['back to back', 0, 3000],
      ['1 ms pause before each', 1, 300],
      ['5 ms pause before each', 5, 300],
    ] as const) {
      let micros = 0;
      for (let i = 0; i < n; i++) {
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
        const before = process.cpuUsage();
        await mysqlQuery(connection, 'SELECT 1');
        const used = process.cpuUsage(before);
        micros += used.user + used.system;
      }
      console.log(`${label}: ${Math.round(micros / n)} µs of this process's CPU per round trip`);
    }
  } finally {
    connection.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
