import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

/**
 * A worker thread with its own connection that checkpoints the WAL of one SQLite
 * database (see sqlite-checkpointer.ts). PASSIVE: it copies what it can and never waits for,
 * nor holds up, the process's readers and writers.
 */
const { path, everyMs } = workerData as { path: string; everyMs: number };
const db = new BetterSqlite3(path);
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), everyMs);

parentPort!.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  // Ends this thread only.
  process.exit(0);
});
