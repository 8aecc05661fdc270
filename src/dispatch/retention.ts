import { encodeTime } from 'ulid';
import type { RetentionConfig } from '../config';
import type { Database } from '../database/database';
import { ID_PREFIX } from '../domain/common/ids';
import { DAY, MINUTE } from '../domain/common/time';
import type { Logger } from '../logger';
import { MAX_WINDOW_DAYS } from '../domain/stats/stats-window';
import { pruneCaptured, pruneEvents, pruneStats, type Pruned } from '../sql/prune';
import { STATS_TABLES } from '../sql/stats-columns';
import { coerceError, retryOnDeadlock } from './errors';

/** The first pass runs this long after start (a restart loop does not prune at every start). */
const FIRST_PASS_MS = 5 * MINUTE;
/** Then once per this interval. */
const PASS_INTERVAL_MS = 60 * MINUTE;
/** Events looked at per transaction: each batch is one short transaction. */
const BATCH = 500;
/** Attempt statistics are kept this long: a window of the longest length ending now is whole. */
const STATS_DAYS = MAX_WINDOW_DAYS + 1;
/** Between two batches, so publishes and the queue's own writes are not kept waiting. */
const BATCH_GAP_MS = 20;

export interface RetentionOptions {
  batchSize?: number;
  firstPassMs?: number;
}

/**
 * Retention: an event is deleted with its deliveries and their attempts once it
 * is older than `days` and every delivery of it has finished: SUCCEEDED, CANCELLED, or
 * FAILED more than `failedDays` ago (a FAILED delivery is kept for an operator to retry
 * until then; a retried one is open again and keeps its event). Open deliveries
 * (PENDING, IN_FLIGHT, RETRY_SCHEDULED, or waiting for a paused destination) are never
 * touched. A pass walks the events in id order (ids begin with their creation time, so
 * "older than" is an id range), in small transactions; a kept event does not hold the
 * walk back. Several processes may prune at once: the deliveries of a batch are locked
 * before they are judged. Requests captured by inbound listeners go after `days` too
 * (a listener keeps its sample data itself), attempt statistics after STATS_DAYS.
 */
export class Retention {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<unknown> | null = null;
  private stopped = false;
  private readonly batchSize: number;
  private readonly firstPassMs: number;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly config: RetentionConfig,
    options: RetentionOptions = {},
  ) {
    this.batchSize = options.batchSize ?? BATCH;
    this.firstPassMs = options.firstPassMs ?? FIRST_PASS_MS;
  }

  start(): void {
    this.schedule(this.firstPassMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass over everything older than the retention age at `now`. */
  async prune(now = new Date()): Promise<Pruned> {
    const total: Pruned = { events: 0, deliveries: 0, attempts: 0, listenerRequests: 0, statsRows: 0 };
    const before = boundaryId('event', now.getTime() - this.config.days * DAY);
    const failedBefore = this.config.failedDays > 0 ? now.getTime() - this.config.failedDays * DAY : null;
    let after = '';
    while (!this.stopped) {
      // Its locks may cross a completion's on the deliveries of an old event (one retried, in flight).
      const batch = await retryOnDeadlock(() => this.db.queueTransaction((tx) => pruneEvents(tx, { after, before, failedBefore, limit: this.batchSize })));
      total.events += batch.pruned.events;
      total.deliveries += batch.pruned.deliveries;
      total.attempts += batch.pruned.attempts;
      if (batch.last === null) break;
      after = batch.last;
      await pause();
    }
    const capturedBefore = boundaryId('listenerRequest', now.getTime() - this.config.days * DAY);
    while (!this.stopped) {
      const deleted = await this.db.queueTransaction((tx) => pruneCaptured(tx, capturedBefore, this.batchSize));
      total.listenerRequests += deleted;
      if (deleted < this.batchSize) break;
      await pause();
    }
    const statsBefore = now.getTime() - STATS_DAYS * DAY;
    for (const table of STATS_TABLES) {
      while (!this.stopped) {
        const deleted = await this.db.queueTransaction((tx) => pruneStats(tx, table, statsBefore, this.batchSize));
        total.statsRows += deleted;
        if (deleted < this.batchSize) break;
        await pause();
      }
    }
    return total;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.prune()
        .then((pruned) => {
          if (pruned.events || pruned.listenerRequests || pruned.statsRows)
            this.log.info({ ...pruned, days: this.config.days }, 'retention pruned old records');
        })
        .catch((error: unknown) => this.log.error({ err: coerceError(error) }, 'retention pass failed; the next one tries again'))
        .finally(() => this.schedule(PASS_INTERVAL_MS));
    }, delayMs);
    this.timer.unref();
  }
}

/** The smallest id of its kind at time `ms`: every record created earlier sorts before it. */
function boundaryId(kind: 'event' | 'listenerRequest', ms: number): string {
  return `${ID_PREFIX[kind]}_${encodeTime(Math.max(0, ms), 10)}`;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, BATCH_GAP_MS));
