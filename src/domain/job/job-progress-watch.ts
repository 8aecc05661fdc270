import { MoreThanOrEqual } from 'typeorm';
import type { Database } from '../../database/database';
import type { Signals } from '../common/signals';
import { SECOND } from '../common/time';
import { progressOf, type BulkJobProgress } from './bulk-job-progress';
import { BulkJobEntity } from './bulk-job.entity';

/** How often the database is asked for bulk jobs changed elsewhere, while someone here wants them. */
export const JOB_WATCH_EVERY_MS = 1 * SECOND;
/** Each look reaches back this far past the last one: another process's clock may run behind. */
const CLOCK_MARGIN_MS = 1 * SECOND;
/** Jobs whose last announced state is remembered; past this, the memory starts again (at worst a state is announced twice). */
const REMEMBERED_JOBS = 10_000;

/**
 * For processes that share a database but no pub/sub (no REDIS_URL): while someone here
 * subscribes to bulkJobProgress (`wanted`), looks for bulk jobs changed since the last
 * look and announces here each state this process has not announced itself (the job
 * ran, or was cancelled, in another process), within `everyMs`. With Redis the process
 * that changes a job tells every process at once, and this is not needed.
 */
export class JobProgressWatch {
  private timer: NodeJS.Timeout | null = null;
  private since = Date.now();
  /** Job id → the state last announced in this process (by anyone, this watch included). */
  private readonly announced = new Map<string, string>();
  private unlisten: (() => void) | null = null;
  private looking: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly signals: Signals,
    private readonly wanted: () => boolean,
    private readonly onError: (error: unknown) => void,
    private readonly everyMs = JOB_WATCH_EVERY_MS,
  ) {}

  start(): void {
    this.unlisten = this.signals.on('bulkJobProgress', (progress) => this.remember(progress));
    this.timer = setInterval(() => {
      this.looking ??= this.look().finally(() => (this.looking = null));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unlisten?.();
    await this.looking;
  }

  private async look(): Promise<void> {
    const startedAt = Date.now();
    if (!this.wanted()) {
      this.since = startedAt;
      return;
    }
    try {
      const jobs = await this.db.manager.findBy(BulkJobEntity, { updatedAt: MoreThanOrEqual(new Date(this.since - CLOCK_MARGIN_MS)) });
      this.since = startedAt;
      for (const job of jobs) {
        const progress = progressOf(job);
        if (this.announced.get(job.id) !== stateOf(progress)) this.signals.emit('bulkJobProgress', progress);
      }
    } catch (error) {
      this.onError(error);
    }
  }

  private remember(progress: BulkJobProgress): void {
    if (this.announced.size >= REMEMBERED_JOBS && !this.announced.has(progress.id)) this.announced.clear();
    this.announced.set(progress.id, stateOf(progress));
  }
}

/** What a subscriber sees change: the status and the count done (a local announcement's time may differ from the row's by a millisecond). */
const stateOf = (p: BulkJobProgress) => `${p.status} ${p.done}`;
