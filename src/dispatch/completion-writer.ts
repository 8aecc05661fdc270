import type { BreakerConfig } from '../config';
import type { Database } from '../database/database';
import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { CountedAttempt } from '../domain/stats/stats-rollup';
import { completeDeliveries, findCompletedBatch, type Completion } from '../sql/complete-deliveries';
import { disableDestination, disableFailing, failingReason, findDisabledAt, healthOf, healthStatements } from '../sql/destination-health';
import { addStatsStatements } from '../sql/add-stats';
import { attemptStored, insertAttemptsStatement } from '../sql/insert-attempts';
import type { QueueTx } from '../sql/queue-transaction';
import { coerceError, isDeadlock } from './errors';

/** A MySQL flush still writing after this long lets a second one start (a row lock it waits for, say). */
const STUCK_MS = 100;

/** One finished piece of work: the attempt that happened (if any) and the delivery's next state. */
export interface Finished {
  delivery: DeliveryEntity;
  attempt: DeliveryAttemptEntity | null;
  completion: Completion;
  /** 410: disable this destination with this reason, in the same transaction. */
  disableDestination: string | null;
  /**
   * What the attempt says about the endpoint, for the circuit breaker: UP (2xx), DOWN
   * (network error, timeout, 408, 429, 5xx: what is retried), or null (no attempt, or
   * an answer that blames the request, not the endpoint).
   */
  health: 'UP' | 'DOWN' | null;
}

/** What a flush made true, handed over after the commit. */
export interface Committed {
  /** Deliveries whose new state was written (still owned by this worker). */
  updated: { delivery: DeliveryEntity; attempt: DeliveryAttemptEntity | null; finished: Finished }[];
  disabledDestinations: { id: string; reason: string }[];
  /** Destinations an attempt of the batch found down: their breaker may have opened. */
  down: string[];
}

/**
 * Whoever acts on what a flush committed (the dispatcher: after-commit.ts), told once
 * per commit, after it. What it throws is logged (onError): a committed batch is never
 * written again.
 */
export interface CommitFollower {
  committed(committed: Committed): void;
}

/** The attempts of a batch as the statistics count them (each is counted where it is stored). */
function counted(items: Finished[]): CountedAttempt[] {
  return items.flatMap(({ delivery, attempt }) =>
    attempt
      ? [
          {
            destinationId: delivery.destinationId,
            tenantId: delivery.tenantId,
            at: attempt.createdAt,
            succeeded: attempt.outcome === 'SUCCESS',
            durationMs: attempt.durationMs,
          },
        ]
      : [],
  );
}

/** Results written together in one transaction. */
interface Batch {
  entries: { item: Finished; done: () => void }[];
  /**
   * The time the batch writes into its rows (updated_at). It stays the same when the
   * batch is written again, so rows it already wrote can be told from rows changed since.
   */
  at: Date;
  /**
   * Its last try failed in a way that may have committed it: the connection went while
   * the COMMIT was on its way, say, and the reply never came.
   */
  uncertain: boolean;
}

export interface CompletionWriterOptions {
  /** The circuit breaker's settings; without them no streak is kept (a writer tested alone). */
  breaker?: BreakerConfig;
  maxBatch?: number;
  /** How long a flush waits for more results to join it. */
  windowMs?: number;
  /** After a failed flush (database unreachable), wait this long and try again. */
  retryDelayMs?: number;
  onError(error: Error): void;
}

/**
 * Group commit for completions: whatever finishes while a flush runs is written by the
 * next one, in one transaction (attempts INSERT, their statistics, delivery UPDATEs,
 * destination disables).
 * `write()` resolves only after the commit, and signals go out only then: a delivery's
 * status is durable before anyone hears of it. A failed flush keeps its items and
 * retries; until it succeeds the leases are still held.
 *
 * One flush runs at a time: with the dispatcher's room for four times its concurrency
 * unrecorded (request-slots.ts), it gathers batches of a hundred and more, which cost
 * MariaDB less per delivery than two flushes at once of half the size. On MySQL, a flush
 * still writing after STUCK_MS (a row lock held
 * elsewhere, say) lets a second one start, on its own connection, with the results that
 * came since: one waiting lock does not hold back every result behind it. Their batches
 * never share a delivery (each result is written once), and under READ COMMITTED their
 * row locks are disjoint. SQLite has one writer: one flush.
 *
 * Writing a batch is idempotent: a batch whose try failed after it may have committed (a
 * lost acknowledgement) is first looked for in the database. Found, it is announced as
 * committed; not found, it is written again. Sending it again blindly would fail on its
 * attempts' primary keys forever and leave its leases held.
 */
export class CompletionWriter {
  private queue: Batch['entries'] = [];
  /** Batches whose last try failed, written again (or found committed) before anything newer. */
  private readonly retries: Batch[] = [];
  /** Flush loops running; counted down inside the loop, the moment it decides to end. */
  private flushing = 0;
  /** The running loops' promises, for drain(). */
  private readonly flushes = new Set<Promise<void>>();
  private readonly maxFlushes: number;
  /** Flushes writing for longer than STUCK_MS. */
  private stuck = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private inFlush = 0;
  private follower: CommitFollower | null = null;

  constructor(
    private readonly db: Database,
    private readonly workerId: string,
    private readonly options: CompletionWriterOptions,
  ) {
    this.maxFlushes = db.dialect.singleWriter ? 1 : 2;
  }

  /** Results queued and not yet committed. */
  get pending(): number {
    return this.queue.length + this.inFlush + this.retries.reduce((n, b) => n + b.entries.length, 0);
  }

  /** What commits from now on is told to `follower`. */
  followedBy(follower: CommitFollower): void {
    this.follower = follower;
  }

  write(item: Finished): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ item, done: resolve });
      this.startFlush();
    });
  }

  /** Writes everything queued; on stop, gives up on items it cannot write (their leases expire). */
  async drain(): Promise<void> {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.startFlush();
    }
    while (this.flushes.size) await Promise.all([...this.flushes]);
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const { done } of [...this.retries.splice(0).flatMap((b) => b.entries), ...this.queue.splice(0)]) done();
  }

  private startFlush(): void {
    // Another loop starts only beside stuck ones (one waiting out its window is not).
    if (this.retryTimer || this.closed || !(this.queue.length || this.retries.length) || this.flushing >= this.maxFlushes || this.flushing > this.stuck) return;
    this.flushing += 1;
    const flush: Promise<void> = this.flushLoop().finally(() => this.flushes.delete(flush));
    this.flushes.add(flush);
  }

  private async flushLoop(): Promise<void> {
    try {
      // Let the completions of the next moment join the batch: one transaction for many
      // results costs the database (and, on SQLite, this process) far less than one each.
      await new Promise((r) => setTimeout(r, this.options.windowMs ?? 2));
      while ((this.retries.length || this.queue.length) && !this.closed && !this.retryTimer) {
        const batch = this.retries.shift() ?? { entries: this.queue.splice(0, this.options.maxBatch ?? 256), at: new Date(), uncertain: false };
        const size = batch.entries.length;
        this.inFlush += size;
        let committed: Committed;
        let stuck = false;
        const stuckTimer =
          this.maxFlushes > 1
            ? setTimeout(() => {
                stuck = true;
                this.stuck += 1;
                this.startFlush();
              }, STUCK_MS)
            : null;
        try {
          committed = await this.writeBatch(batch);
        } catch (error) {
          this.inFlush -= size;
          // A deadlock victim was rolled back whole; anything else may have committed.
          const deadlock = isDeadlock(error);
          batch.uncertain ||= !deadlock;
          this.retries.push(batch);
          if (!deadlock) this.options.onError(coerceError(error));
          this.retryTimer ??= setTimeout(
            () => {
              this.retryTimer = null;
              this.startFlush();
            },
            deadlock ? 0 : (this.options.retryDelayMs ?? 500),
          );
          return;
        } finally {
          if (stuckTimer) clearTimeout(stuckTimer);
          if (stuck) this.stuck -= 1;
        }
        this.inFlush -= size;
        for (const b of batch.entries) b.done();
        // Committed is committed: a failing listener MUST NOT send the batch round again.
        try {
          this.follower?.committed(committed);
        } catch (error) {
          this.options.onError(coerceError(error));
        }
      }
    } finally {
      // In the same turn as the loop's last look at the queue (a promise's finally would
      // come a turn later): a result written from now on starts a flush of its own.
      this.flushing -= 1;
    }
  }

  /** A batch whose last try may have committed is looked for first; otherwise (or not found) it is written. */
  private async writeBatch(batch: Batch): Promise<Committed> {
    const items = batch.entries.map((e) => e.item);
    if (batch.uncertain) {
      const earlier = await this.db.queueTransaction((tx) => this.findCommitted(tx, items, batch.at));
      if (earlier) return earlier;
    }
    return this.flush(items, batch.at);
  }

  private async flush(items: Finished[], now: Date): Promise<Committed> {
    return this.db.queueTransaction(async (tx) => {
      const attempts = items.flatMap((i) => (i.attempt ? [i.attempt] : []));
      // One round trip on MySQL: the attempts, the deliveries' new states and the COMMIT;
      // a batch that disables a destination (a 410) commits after doing so.
      // Every attempt that happened counts for the breaker, whether its lease was still held or not.
      const breaker = this.options.breaker;
      const health = breaker ? healthOf(items.map((i) => ({ destinationId: i.delivery.destinationId, health: i.health }))) : null;
      const down = [...(health?.down.keys() ?? [])];
      const failing = this.failing(down);
      const disabling = items.some((i) => i.disableDestination) || failing.length > 0;
      const before = [
        ...(attempts.length ? [insertAttemptsStatement(this.db.dialect, attempts)] : []),
        ...addStatsStatements(this.db.dialect, counted(items)),
        ...(health && breaker ? healthStatements(health, now.getTime(), breaker) : []),
      ];
      const written = await completeDeliveries(
        tx,
        this.workerId,
        items.map((i) => i.completion),
        now,
        before,
        { commit: !disabling },
      );
      const mine = items.filter((i) => written.has(i.delivery.id));
      const disabledDestinations: Committed['disabledDestinations'] = [];
      for (const i of mine) {
        if (i.disableDestination && !disabledDestinations.some((d) => d.id === i.delivery.destinationId)) {
          if (await disableDestination(tx, i.delivery.destinationId, i.disableDestination, now)) {
            disabledDestinations.push({ id: i.delivery.destinationId, reason: i.disableDestination });
          }
        }
      }
      for (const id of failing) {
        const reason = failingReason(breaker!.disableAfterMs);
        if (await disableFailing(tx, id, reason, now.getTime() - breaker!.disableAfterMs, now.getTime())) disabledDestinations.push({ id, reason });
      }
      return this.committed(mine, disabledDestinations, down, now);
    });
  }

  /**
   * What an earlier try of this batch committed, or null when it did not. Its attempts
   * tell for certain (they are stored by the batch's transaction and never change); a
   * batch without attempts counts as committed when any of its deliveries holds what
   * it wrote, and otherwise is written again, which changes only rows still leased to
   * this worker.
   */
  private async findCommitted(tx: QueueTx, items: Finished[], at: Date): Promise<Committed | null> {
    const attempt = items.find((i) => i.attempt)?.attempt;
    if (attempt && !(await attemptStored(tx, attempt.id))) return null;
    const written = await findCompletedBatch(
      tx,
      items.map((i) => i.completion),
      at,
    );
    if (!attempt && written.size === 0) return null;
    const health = this.options.breaker ? healthOf(items.map((i) => ({ destinationId: i.delivery.destinationId, health: i.health }))) : null;
    const down = [...(health?.down.keys() ?? [])];
    const candidates = new Set([...this.failing(down), ...items.filter((i) => i.disableDestination).map((i) => i.delivery.destinationId)]);
    const disabled = await findDisabledAt(tx, [...candidates], at);
    return this.committed(
      items.filter((i) => written.has(i.delivery.id)),
      disabled,
      down,
      at,
    );
  }

  /** Destinations found down that the breaker may disable for failing too long. */
  private failing(down: string[]): string[] {
    const breaker = this.options.breaker;
    return breaker && breaker.disableAfterMs > 0 ? down : [];
  }

  private committed(mine: Finished[], disabledDestinations: Committed['disabledDestinations'], down: string[], now: Date): Committed {
    const updated = mine.map((finished) => {
      const c = finished.completion;
      const delivery: DeliveryEntity = {
        ...finished.delivery,
        status: c.status,
        attemptCount: c.attemptCount,
        dueAt: c.dueAt,
        leaseOwner: null,
        lastStatusCode: c.lastStatusCode,
        lastError: c.lastError,
        updatedAt: now,
        completedAt: c.status === 'RETRY_SCHEDULED' ? null : now,
        // Its lease kept the row as the claim left it: this UPDATE is the next change.
        version: finished.delivery.version + 1,
      };
      return { delivery, attempt: finished.attempt, finished };
    });
    return { updated, disabledDestinations, down };
  }
}
