import type { DispatchConfig } from '../config';
import type { Database } from '../database/database';
import type { Logger } from '../logger';
import type { AnnounceDelivery } from './announce';
import type { ClaimedBatches } from './claimed-batches';
import type { ContextCache } from './context-cache';
import { sendingLines, type DestinationLines } from './destination-lines';
import { coerceError, isDeadlock, retryOnDeadlock } from './errors';
import type { ExpiredLeases } from './expired-leases';
import { ClaimCursor } from './claim-cursor';
import { claimDue, type ClaimResult } from '../sql/claim-due';
import { claimLine, linesWithWork } from '../sql/claim-line';
import type { InactiveDestinations } from './inactive-destinations';
import type { RequestSlots } from './request-slots';
import type { Holder, Room } from './room';

/**
 * What the claim loop is doing. A dispatcher runs one loop: two claiming at once (on
 * MySQL, SKIP LOCKED keeps them apart) made twice the transactions of half the size,
 * which cost the database and this process more per delivery than one claiming a bigger
 * batch.
 *
 * - STOPPED: not started, or stopped; wake-ups are ignored.
 * - STARTING: the first sweep of expired leases runs, and its end claims; wake-ups wait
 *   for it. A restart after a crash sends its expired leases in their place, not after
 *   what came due while they ran.
 * - WAITING: no claim runs or is coming. The next wake-up claims: a publish or re-queue
 *   here, a freed slot under a backlog, a retry's or a line's time, the poll.
 * - WOKEN: woken in this event-loop turn. One claim at the end of the turn
 *   (setImmediate) serves every wake-up of the turn: under load dozens of publishes
 *   commit per turn, and a claim transaction each would cost more than the sends.
 * - CLAIMING: claim passes run (the due lines, then the queue), one after another while
 *   the claims come back full and there is room.
 * - CLAIMING_AGAIN: woken while claiming: another pass follows this one, for what came
 *   due after it read the queue.
 * - WAITING_FOR_SLOT: woken while claiming, and the claim ended without serving that
 *   wake-up (the room ran out, or the claim failed): the next freed slot claims, as does
 *   any wake-up.
 */
export type ClaimLoopState = 'STOPPED' | 'STARTING' | 'WAITING' | 'WOKEN' | 'CLAIMING' | 'CLAIMING_AGAIN' | 'WAITING_FOR_SLOT';

export interface ClaimLoopDeps {
  db: Database;
  workerId: string;
  config: DispatchConfig;
  room: Room;
  inactive: InactiveDestinations;
  lines: DestinationLines;
  cache: ContextCache;
  expired: ExpiredLeases;
  batches: ClaimedBatches;
  slots: RequestSlots;
  announce: AnnounceDelivery;
  log: Logger;
}

/**
 * Claims due deliveries in batches for the dispatcher's room (room.ts), from the limited
 * destinations' lines first (destination-lines.ts), then from the queue, and hands them
 * to the claimed batches. It is woken in-process; the poll (HOOKGRAPH_WORKER_POLL_MS) is
 * the fallback for other processes' work, and it also returns expired leases.
 */
export class ClaimLoop implements Holder {
  private current: ClaimLoopState = 'STOPPED';
  /**
   * The last claim filled its batch, or the room was too small for one: more is due as
   * soon as a slot frees, and publishes hand nothing off (the claims keep the order).
   */
  private hasBacklog = false;
  /** Rows asked for by the claim running now. */
  private asked = 0;
  private readonly cursor = new ClaimCursor();
  /**
   * Under a backlog, the least room worth a claim: half a batch, or half the concurrency
   * when that is less. Per delivery, the database's share of a claim and of its completion
   * batch falls as they grow (bench/tools/mysql-server-cost.ts).
   */
  private readonly minClaim: number;
  /** The poll came: the next pass looks for lines with work (see linesWithWork). */
  private linesPolled = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private nextWake: { at: number; timer: NodeJS.Timeout } | null = null;
  /** The claim passes running now, or the last ones: a stop awaits them. */
  private claiming: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ClaimLoopDeps) {
    const { claimBatch, concurrency } = deps.config;
    this.minClaim = Math.max(1, Math.min(Math.floor(claimBatch / 2), Math.floor(concurrency / 2)));
  }

  get state(): ClaimLoopState {
    return this.current;
  }

  get backlog(): boolean {
    return this.hasBacklog;
  }

  get holding(): number {
    return this.asked;
  }

  start(): void {
    if (this.current !== 'STOPPED') return;
    this.current = 'STARTING';
    this.pollTimer = setInterval(() => this.poll(), this.deps.config.pollIntervalMs);
    this.pollTimer.unref();
    void this.returnExpired().finally(() => {
      if (this.current !== 'STARTING') return;
      this.current = 'WAITING';
      this.wake();
    });
  }

  /** Claim soon, if there is room. */
  wake(): void {
    if (this.current === 'WAITING' || this.current === 'WAITING_FOR_SLOT') {
      this.current = 'WOKEN';
      setImmediate(() => this.woken());
    } else if (this.current === 'CLAIMING') {
      this.current = 'CLAIMING_AGAIN';
    }
  }

  /** A request slot is free: under a backlog, or for a wake-up the last claim could not serve, claim for it. */
  slotFreed(): void {
    if (this.hasBacklog || this.current === 'WAITING_FOR_SLOT') this.wake();
  }

  /** Something comes due at `at` (a retry scheduled here, a line's next token): wake then, not at the next poll. */
  wakeAt(at: number): void {
    if (this.current === 'STOPPED' || (this.nextWake && this.nextWake.at <= at)) return;
    if (this.nextWake) clearTimeout(this.nextWake.timer);
    const timer = setTimeout(
      () => {
        this.nextWake = null;
        this.wake();
      },
      Math.max(0, at - Date.now()) + 5,
    );
    timer.unref();
    this.nextWake = { at, timer };
  }

  /** Claims nothing more; settles once the claim running now (if any) has ended. */
  stop(): Promise<void> {
    this.current = 'STOPPED';
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.nextWake) clearTimeout(this.nextWake.timer);
    return this.claiming;
  }

  private poll(): void {
    this.linesPolled = true;
    this.wake();
    void this.returnExpired();
  }

  private woken(): void {
    // Stopped since the wake-up.
    if (this.current !== 'WOKEN') return;
    this.claiming = this.claim();
  }

  private async claim(): Promise<void> {
    try {
      for (;;) {
        this.current = 'CLAIMING';
        const claimed = await this.pass();
        // The state as the pass left it: stopped, or woken again meanwhile.
        const state = this.state;
        if (!claimed || state === 'STOPPED' || (state === 'CLAIMING' && !this.hasBacklog)) break;
      }
    } catch (error) {
      if (isDeadlock(error)) {
        // Lost a lock race again and again: nothing was claimed; try again shortly.
        this.deps.log.debug({ err: coerceError(error) }, 'claim deadlocked; retrying');
        setTimeout(() => this.wake(), 10).unref();
      } else {
        // The database is unreachable or a statement failed: the poll tries again (or the
        // next freed slot, for a wake-up that came meanwhile).
        this.deps.log.error({ err: coerceError(error) }, 'claiming deliveries failed');
      }
    } finally {
      const state = this.state;
      if (state !== 'STOPPED') this.current = state === 'CLAIMING_AGAIN' ? 'WAITING_FOR_SLOT' : 'WAITING';
    }
  }

  /** One claim from the lines and the queue; false when the room was too small to claim. */
  private async pass(): Promise<boolean> {
    const { db, config, room, inactive, slots } = this.deps;
    // Up to `concurrency` slots taken and CLAIMS_AHEAD batches claimed ahead of them.
    // A slow database stops the sends at the unrecorded bound (request-slots.ts): what
    // waits for a slot fills the room, and claiming stops instead of memory growing.
    const busy = room.busy;
    const free = room.forClaims;
    // Under a backlog, wait for a worthwhile batch: a claim costs a transaction (a
    // commit on MySQL) whether it takes 1 row or 32, and one-slot claims would cap
    // throughput at the claim rate. Without a backlog (claims came back short) any room is claimed at once.
    if (free <= 0 || (this.hasBacklog && busy > 0 && free < this.minClaim)) {
      this.hasBacklog = true;
      // Deliveries behind a breaker's probe go on once the list is read again after
      // its result (see request-slots.ts), which a claim does; when they fill the room, no
      // claim runs to read it: it is read here.
      if (slots.probing && inactive.stale(Date.now())) {
        await db.queueTransaction((tx) => inactive.current(tx, Date.now()));
        slots.fill();
      }
      return false;
    }
    // The lines of limited destinations first: what their limits let go now.
    await this.claimLines();
    const limit = Math.min(room.forClaims, config.claimBatch);
    if (limit <= 0) return false;
    const now = new Date();
    this.asked += limit;
    let result: ClaimResult;
    try {
      const input = {
        workerId: this.deps.workerId,
        now,
        leaseMs: config.leaseMs,
        limit,
        inactive,
        eventsToRead: (ids: string[]) => this.deps.cache.unknownEvents(ids),
        after: this.cursor.from(now.getTime()),
      };
      // MySQL may pick a claim as a deadlock victim when it races a completion on the due_at index.
      result = await retryOnDeadlock(() => db.queueTransaction((tx) => claimDue(tx, input)));
    } finally {
      this.asked -= limit;
    }
    const { claimed, events } = result;
    this.hasBacklog = claimed.length === limit;
    this.cursor.passed(result.last, this.hasBacklog);
    // The claim read the list again: deliveries behind a probe may go.
    if (slots.probing) slots.fill();
    if (claimed.length) {
      for (const c of claimed) this.deps.announce(c.delivery, null);
      // Not awaited: the next claim overlaps this batch's loading.
      this.deps.batches.start(claimed, events);
    }
    return true;
  }

  /**
   * Claims from the lines (sql/claim-line.ts) that are due, each within this
   * process's room. A line the room did not reach waits for the next pass; one its bucket
   * held back is claimed again when the bucket has a token.
   */
  private async claimLines(): Promise<void> {
    const { db, config, room, inactive, lines } = this.deps;
    // Read the list here when it is due (the claim would read it next) and lines are
    // about: a destination limited or resumed since the last reading has its line claimed
    // in this pass. Without lines, the claim reads it in its own transaction.
    if ((inactive.limited.length || lines.touched) && inactive.stale(Date.now())) {
      const before = inactive.limited;
      await db.queueTransaction((tx) => inactive.current(tx, Date.now()));
      lines.keep(inactive.limited);
      for (const id of inactive.limited) if (!before.includes(id)) lines.touch(id);
    }
    const sending = sendingLines(inactive);
    if (this.linesPolled && sending.length) {
      this.linesPolled = false;
      const found = await db.queueTransaction((tx) => linesWithWork(tx, sending, Date.now()));
      for (const id of found) lines.touch(id);
    }
    for (const destinationId of lines.take(sending, Date.now())) {
      const limit = Math.min(room.forClaims, config.claimBatch);
      if (limit <= 0 || this.current === 'STOPPED') {
        lines.done(destinationId, null);
        lines.touch(destinationId);
        continue;
      }
      this.asked += limit;
      let nextAt: number | null = null;
      try {
        const input = { workerId: this.deps.workerId, destinationId, now: new Date(), leaseMs: config.leaseMs, limit };
        const result = await retryOnDeadlock(() => db.queueTransaction((tx) => claimLine(tx, input)));
        nextAt = result.nextAt;
        // This process's room held the line back: claim it again as soon as there is room.
        if (result.waiting && result.claimed.length === limit) lines.touch(destinationId);
        if (result.claimed.length) {
          for (const c of result.claimed) this.deps.announce(c.delivery, null);
          this.deps.batches.start(result.claimed, [], true);
        }
      } catch (error) {
        // Tried again at the next pass (the poll at the latest).
        lines.touch(destinationId);
        throw error;
      } finally {
        this.asked -= limit;
        lines.done(destinationId, nextAt);
      }
    }
    const next = lines.nextAfter(sending, Date.now());
    if (next !== null) this.wakeAt(next);
  }

  /** Expired leases back to their place in the queue (expired-leases.ts), announced; a claim takes them in order. */
  private async returnExpired(): Promise<void> {
    const { expired, inactive, lines, log } = this.deps;
    try {
      const returned = await expired.sweep(Date.now());
      for (const delivery of returned) {
        this.deps.announce(delivery, null);
        if (inactive.limited.includes(delivery.destinationId)) lines.touch(delivery.destinationId);
      }
      if (returned.length) {
        log.warn({ deliveries: returned.length }, 'deliveries whose lease expired (their worker stopped) are due again in their place');
        this.wake();
      }
    } catch (error) {
      log.error({ err: coerceError(error) }, 'returning expired leases failed; the poll tries again');
    }
  }
}
