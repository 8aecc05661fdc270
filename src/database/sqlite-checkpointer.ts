import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints: the WAL then holds about this long's worth of writes. */
const CHECKPOINT_EVERY_MS = 1000;

/**
 * Checkpoints of an SQLite database in WAL mode, off the event loop. SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold, on the thread that
 * committed: here the one thread that serves GraphQL, websockets and the dispatcher, which
 * then stood still while the checkpoint wrote pages and waited for the disk (a P2 run saw
 * publishes take over 500 ms). The main connection turns the automatic checkpoint off
 * (`wal_autocheckpoint = 0`) and this worker thread checkpoints instead. If the worker
 * fails, `onFailure` turns the automatic checkpoint back on.
 */
export class SqliteCheckpointer {
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  static start(databasePath: string, onFailure: (error: Error) => void, everyMs = CHECKPOINT_EVERY_MS): SqliteCheckpointer {
    const worker = new Worker(path.join(__dirname, 'sqlite-checkpoint-worker.js'), { workerData: { path: databasePath, everyMs } });
    worker.on('error', onFailure);
    // The server's own handles keep the process alive; this thread must not.
    worker.unref();
    return new SqliteCheckpointer(worker);
  }

  /** Closes the worker's connection and ends the thread (at once if it has ended already). */
  stop(): Promise<void> {
    // Until it has ended, the process waits for it.
    this.worker.ref();
    this.worker.postMessage('stop');
    return this.exited;
  }
}
