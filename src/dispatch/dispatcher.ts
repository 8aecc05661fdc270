import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { DispatchConfig } from '../config';
import type { Database } from '../database';
import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { DestinationEntity } from '../domain/destination/destination.entity';
import type { DestinationService } from '../domain/destination/destination.service';
import type { EventEntity } from '../domain/event/event.entity';
import type { EventService } from '../domain/event/event.service';
import type { HandOff, HandOffTaker } from '../domain/event/hand-off';
import type { SecretBox } from '../domain/secrets/secret-box';
import type { Signals } from '../domain/shared/signals';
import type { WebhookEntity } from '../domain/webhook/webhook.entity';
import { SECOND } from '../domain/shared/time';
import type { Logger } from '../logger';
import { runAttempt } from './attempt-runner';
import { CompletionWriter, type Committed } from './completion-writer';
import { ContextCache, type DeliveryContext } from './context-cache';
import { DestinationLines } from './destination-lines';
import { ExpiredLeases } from './expired-leases';
import { coerceError, isDeadlock, retryOnDeadlock } from './errors';
import { finishAttempt, finishCancelled, finishUnbuildable } from './finish';
import type { HttpClient } from './http-client';
import { ClaimCursor } from './queue/claim-cursor';
import { claimDue, type Claimed, type ClaimResult } from './queue/claim-due';
import { claimLine, linesWithWork } from './queue/claim-limited';
import { InactiveDestinations } from './queue/hold-inactive';
import { queueTransaction } from './queue/queue-transaction';
import { releaseLeases } from './queue/release';
import { publishDeliveryFailed, publishDestinationDisabled } from './system-events';

/** Deliveries of a paused or disabled destination are looked at again this often (nothing is dropped). */
export const PARK_MS = 5 * SECOND;
/**
 * Batches claimed ahead of the request slots at most. With one batch, a claim could start
 * only once the previous one's batch had mostly gone out, and the slots waited for its
 * round trips (on MariaDB, a third of them idle in a drain); with two, the next claim
 * runs while the last one's batch waits for slots.
 */
const CLAIMS_AHEAD = 2;
/** A request's timeout stays this far inside the lease, so a live worker never loses a lease it is using. */
export const LEASE_MARGIN_MS = 500;
/** A delivery whose lease has less left than this (plus the margin) goes back to the queue unsent. */
const MIN_TIMEOUT_MS = 100;
/**
 * An answered delivery frees its request slot while its result waits for the commit
 * (on MySQL the server's group commit takes longer than a local request: holding the
 * slot left most slots idle, +14 % without; on SQLite +12 % in alternating drains on a
 * later VM, where holding it had measured −14 % on an earlier one). Sent and not yet
 * recorded (on the wire, or answered and waiting for the commit: what a crash sends
 * again) is bounded at this many times `concurrency` instead. Four rather than two lets
 * the completion writer's one flush at a time gather batches of a hundred and more,
 * which cost MariaDB less per delivery (BENCHMARKS.md, eleventh session).
 */
export const UNRECORDED_SLOTS = 4;

export interface DispatcherDeps {
  db: Database;
  box: SecretBox;
  signals: Signals;
  events: EventService;
  destinations: DestinationService;
  http: HttpClient;
  log: Logger;
}

/** A claimed delivery with what its request is built from, waiting for a slot. */
interface Ready {
  claimed: Claimed;
  event: EventEntity;
  webhook: WebhookEntity;
  destination: DestinationEntity;
}

/**
 * The delivery loop of one process: claim due deliveries in batches (woken in-process
 * when a publish commits; polling only as a fallback), or take them from this process's
 * publishes already leased (reserve: no claim needed), send each with bounded
 * concurrency, classify, and hand the result to the completion writer. No transaction
 * is open while a request is on the wire.
 *
 * Bounded concurrency means: at most `concurrency` requests on the wire, and at most
 * UNRECORDED_SLOTS × `concurrency` sent but not recorded (answered and waiting for the
 * completion writer's commit: what a crash sends again). Claims run up to CLAIMS_AHEAD
 * batches ahead of the slots, so a freed slot is filled at once instead of after a
 * claim's round trips; a delivery waiting for a slot is not sent, and a stop releases it.
 */
export class Dispatcher implements HandOffTaker {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /** Sent (or being sent) and not yet handed to the writer: delivery id → its attempt. */
  private readonly active = new Map<string, Promise<void>>();
  /** Claimed, loaded and waiting for a slot, oldest first. */
  private readonly ready: Ready[] = [];
  /** Aborts the requests still on the wire when the stop's grace period ends. */
  private readonly stopNow = new AbortController();
  private readonly cache: ContextCache;
  private readonly inactive: InactiveDestinations;
  /** Destinations whose breaker is probing them → the list generation this process sent its one probe on. */
  private readonly probes = new Map<string, number>();
  private readonly cursor = new ClaimCursor();
  private readonly lines = new DestinationLines();
  private readonly expired: ExpiredLeases;
  /** The poll came: the next pass looks for lines with work (see linesWithWork). */
  private linesPolled = false;
  private readonly writer: CompletionWriter;
  private running = false;
  /**
   * Claim loops running: one at most. Two at once on MySQL (SKIP LOCKED keeps them apart)
   * made twice the transactions of half the size, and cost MariaDB and this process more
   * per delivery than one claiming a bigger batch (BENCHMARKS.md, eleventh session).
   */
  private claiming = 0;
  /** Sent and not yet recorded, at most. */
  private readonly maxUnrecorded: number;
  /** Rows asked for by claims still running, and deliveries taken by publishes not yet committed. */
  private reserved = 0;
  /** Publishes that handed deliveries to this dispatcher and have not committed (or failed) yet. */
  private handOffs = 0;
  private wakeWanted = false;
  private wakeScheduled = false;
  /** The last claim filled its batch: more may be due as soon as a slot frees. */
  private backlog = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private nextWake: { at: number; timer: NodeJS.Timeout } | null = null;
  private unsubscribe: (() => void)[] = [];
  private stopping: Promise<void> | null = null;
  /**
   * Under a backlog, the least room worth a claim: half a batch, or half the concurrency
   * when that is less. Per delivery, MariaDB's share of a claim and of its completion
   * batch falls as they grow (bench/tools/mysql-server-cost.ts: 208 µs at 8 rows, 102 at
   * 30, 75 at 64).
   */
  private readonly minClaim: number;
  /** Claimed deliveries whose batch is still loading its context; those batches (and late give-backs: see track). */
  private starting = 0;
  private readonly batches = new Set<Promise<void>>();

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly config: DispatchConfig,
  ) {
    this.cache = new ContextCache(deps.db);
    this.expired = new ExpiredLeases(deps.db);
    this.inactive = new InactiveDestinations({ threshold: config.breaker.threshold });
    this.maxUnrecorded = UNRECORDED_SLOTS * config.concurrency;
    this.minClaim = Math.max(1, Math.min(Math.floor(config.claimBatch / 2), Math.floor(config.concurrency / 2)));
    this.writer = new CompletionWriter(deps.db, this.workerId, {
      breaker: config.breaker,
      onError: (error) => deps.log.error({ err: error }, 'writing delivery results failed; retrying'),
    });
    this.writer.followedBy({ committed: (c) => this.afterCommit(c) });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe.push(
      this.deps.events.handOffTo(this),
      this.deps.signals.on('deliveriesCreated', (deliveries, events) => this.created(deliveries, events)),
      this.deps.signals.on('deliveriesRequeued', (deliveries) => {
        this.touchLines(deliveries);
        this.wake();
      }),
      // Limits set here apply at once (set elsewhere, within the list's and the cache's ttl).
      this.deps.signals.on('destinationLimitsChanged', (d) => {
        this.cache.forget(d.id);
        this.inactive.invalidate();
        this.lines.touch(d.id);
        this.wake();
      }),
      this.deps.signals.on('destinationStatusChanged', (d) => {
        this.cache.forget(d.id);
        this.inactive.invalidate();
        if (d.status === 'ACTIVE') {
          if (d.rateLimit) this.lines.touch(d.id);
          this.wake();
        } else {
          this.parkWaiting(d.id);
        }
      }),
    );
    this.pollTimer = setInterval(() => {
      this.linesPolled = true;
      this.wake();
      void this.returnExpired();
    }, this.config.pollIntervalMs);
    this.pollTimer.unref();
    // The first claim comes after the first sweep: a restart after a crash sends its
    // expired leases in their place, not after what came due while they ran.
    void this.returnExpired().finally(() => this.wake());
  }

  /**
   * New deliveries of a publish in this process: those not handed to this dispatcher are
   * claimed, and their events kept for the claim (it need not read them back).
   */
  private created(deliveries: readonly DeliveryEntity[], events: readonly EventEntity[]): void {
    let toClaim: Set<string> | null = null;
    for (const d of deliveries) {
      // Handed off to this dispatcher at publish: already on their way (see reserve).
      if (d.leaseOwner !== this.workerId) (toClaim ??= new Set()).add(d.eventId);
    }
    if (!toClaim) return;
    for (const event of events) if (toClaim.has(event.id)) this.cache.remember(event);
    this.touchLines(deliveries);
    this.wake();
  }

  /** Deliveries of limited destinations joined their lines. */
  private touchLines(deliveries: readonly DeliveryEntity[]): void {
    const limited = this.inactive.limited;
    if (limited.length) for (const d of deliveries) if (limited.includes(d.destinationId)) this.lines.touch(d.destinationId);
  }

  /** Expired leases back to their place in the queue (expired-leases.ts), announced; a claim takes them in order. */
  private async returnExpired(): Promise<void> {
    try {
      const returned = await this.expired.sweep(Date.now());
      for (const delivery of returned) {
        this.announce(delivery, null);
        if (this.inactive.limited.includes(delivery.destinationId)) this.lines.touch(delivery.destinationId);
      }
      if (returned.length) {
        this.deps.log.warn({ deliveries: returned.length }, 'deliveries whose lease expired (their worker stopped) are due again in their place');
        this.wake();
      }
    } catch (error) {
      this.deps.log.error({ err: coerceError(error) }, 'returning expired leases failed; the poll tries again');
    }
  }

  /**
   * Claim soon if there is room; called on publish, on a free slot, on the poll. Wake-ups
   * of one event-loop turn share one claim (setImmediate): under load, dozens of publishes
   * commit per turn, and one claim transaction each would cost more than the sends.
   */
  wake(): void {
    if (!this.running || this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      if (!this.running) return;
      if (this.claiming > 0) {
        this.wakeWanted = true;
        return;
      }
      void this.pump();
    });
  }

  /**
   * Stop claiming; let in-flight requests finish within stopGraceMs; abort the rest and
   * release their leases (due now, for another worker); write everything pending.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.running = false;
      for (const off of this.unsubscribe.splice(0)) off();
      if (this.pollTimer) clearInterval(this.pollTimer);
      if (this.nextWake) clearTimeout(this.nextWake.timer);
      while (this.claiming > 0 || this.handOffs > 0) await new Promise((r) => setTimeout(r, 5));
      await this.expired.idle();
      await Promise.all([...this.batches]);
      const released = this.giveBack(
        this.ready.splice(0).map((r) => r.claimed),
        new Date(),
      );
      const all = Promise.all([...this.active.values()]);
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<'late'>((r) => (graceTimer = setTimeout(() => r('late'), this.config.stopGraceMs)));
      const result = await Promise.race([all.then(() => 'done' as const), grace]);
      clearTimeout(graceTimer);
      if (result === 'late') {
        this.stopNow.abort(new Error('hookgraph is stopping'));
        await Promise.all([...this.active.values()]);
      }
      await released;
      await this.writer.drain();
      this.writer.close();
    })();
    return this.stopping;
  }

  private async pump(): Promise<void> {
    this.claiming += 1;
    try {
      do {
        this.wakeWanted = false;
        // Up to `concurrency` slots taken and CLAIMS_AHEAD batches claimed ahead of them.
        // A slow database stops the sends at the unrecorded bound (see slotFree): what
        // waits for a slot fills the room, and claiming stops instead of memory growing.
        const busy = this.busy;
        const room = this.room;
        // Under a backlog, wait for a worthwhile batch: a claim costs a transaction (a
        // commit on MySQL) whether it takes 1 row or 32, and one-slot claims would cap
        // throughput at the claim rate. Without a backlog (claims came back short) any room is claimed at once.
        if (room <= 0 || (this.backlog && busy > 0 && room < this.minClaim)) {
          this.backlog = true;
          // Deliveries behind a breaker's probe go on once the list is read again after
          // its result (see startReady), which a claim does; when they fill the room, no
          // claim runs to read it: it is read here.
          if (this.probes.size && this.inactive.stale(Date.now())) {
            await queueTransaction(this.deps.db, (tx) => this.inactive.current(tx, Date.now()));
            this.startReady();
          }
          break;
        }
        // The lines of limited destinations first: what their limits let go now.
        await this.claimLines();
        const limit = Math.min(this.room, this.config.claimBatch);
        if (limit <= 0) break;
        const now = new Date();
        this.reserved += limit;
        let result: ClaimResult;
        try {
          const input = {
            workerId: this.workerId,
            now,
            leaseMs: this.config.leaseMs,
            limit,
            inactive: this.inactive,
            eventsToRead: (ids: string[]) => this.cache.unknownEvents(ids),
            after: this.cursor.from(now.getTime()),
          };
          // MySQL may pick a claim as a deadlock victim when it races a completion on the due_at index.
          result = await retryOnDeadlock(() => queueTransaction(this.deps.db, (tx) => claimDue(tx, this.deps.db.kind, input)));
        } finally {
          this.reserved -= limit;
        }
        const { claimed, events } = result;
        this.backlog = claimed.length === limit;
        this.cursor.passed(result.last, this.backlog);
        // The claim read the list again: deliveries behind a probe may go now.
        if (this.probes.size) this.startReady();
        if (!claimed.length) continue;
        for (const c of claimed) this.announce(c.delivery, null);
        // Not awaited: the next claim overlaps this batch's loading.
        this.startClaimed(claimed, events);
      } while (this.running && (this.backlog || this.wakeWanted));
    } catch (error) {
      if (isDeadlock(error)) {
        // Lost a lock race again and again: nothing was claimed; try again shortly.
        this.deps.log.debug({ err: coerceError(error) }, 'claim deadlocked; retrying');
        setTimeout(() => this.wake(), 10).unref();
        return;
      }
      // The database is unreachable or a statement failed: the poll tries again.
      this.deps.log.error({ err: coerceError(error) }, 'claiming deliveries failed');
    } finally {
      this.claiming -= 1;
    }
  }

  /**
   * Claims from the lines (queue/claim-limited.ts) that are due, each within this
   * process's room. A line the room did not reach waits for the next pass; one its bucket
   * held back is claimed again when the bucket has a token.
   */
  private async claimLines(): Promise<void> {
    // Read the list here when it is due (the claim would read it next) and lines are
    // about: a destination limited or resumed since the last reading has its line claimed
    // in this pass. Without lines, the claim reads it in its own transaction, as before.
    if ((this.inactive.limited.length || this.lines.touched) && this.inactive.stale(Date.now())) {
      const before = this.inactive.limited;
      await queueTransaction(this.deps.db, (tx) => this.inactive.current(tx, Date.now()));
      this.lines.keep(this.inactive.limited);
      for (const id of this.inactive.limited) if (!before.includes(id)) this.lines.touch(id);
    }
    const sending = this.sendingLines();
    if (this.linesPolled && sending.length) {
      this.linesPolled = false;
      const found = await queueTransaction(this.deps.db, (tx) => linesWithWork(tx, this.deps.db.kind, sending, Date.now()));
      for (const id of found) this.lines.touch(id);
    }
    for (const destinationId of this.lines.take(sending, Date.now())) {
      const limit = Math.min(this.room, this.config.claimBatch);
      if (limit <= 0 || !this.running) {
        this.lines.done(destinationId, null);
        this.lines.touch(destinationId);
        continue;
      }
      this.reserved += limit;
      let nextAt: number | null = null;
      try {
        const input = { workerId: this.workerId, destinationId, now: new Date(), leaseMs: this.config.leaseMs, limit };
        const result = await retryOnDeadlock(() => queueTransaction(this.deps.db, (tx) => claimLine(tx, this.deps.db.kind, input)));
        nextAt = result.nextAt;
        // This process's room held the line back: claim it again as soon as there is room.
        if (result.waiting && result.claimed.length === limit) this.lines.touch(destinationId);
        if (result.claimed.length) {
          for (const c of result.claimed) this.announce(c.delivery, null);
          this.startClaimed(result.claimed, [], true);
        }
      } catch (error) {
        // Tried again at the next pass (the poll at the latest).
        this.lines.touch(destinationId);
        throw error;
      } finally {
        this.reserved -= limit;
        this.lines.done(destinationId, nextAt);
      }
    }
    const next = this.lines.nextAfter(sending, Date.now());
    if (next !== null) this.wakeAt(next);
  }

  /**
   * HandOffTaker: of a publish's new deliveries, takes as many as there are free slots
   * with nothing else waiting for them (under a backlog, none: the claims keep the order),
   * to destinations it has read as ACTIVE.
   */
  reserve(deliveries: readonly DeliveryEntity[]): HandOff | null {
    const free = this.config.concurrency - this.busy;
    if (!this.running || free <= 0 || this.backlog) return null;
    const leaseUntil = new Date(Date.now() + this.config.leaseMs);
    const taken = new Map<string, DeliveryEntity>();
    for (const d of deliveries) {
      if (taken.size >= free) break;
      // Only to a destination known to be sending: paused ones, and ones whose breaker is open,
      // probing or may have just opened, are left to the claims. So is a delivery with an
      // ordering key: the claim knows whether an earlier one of its key is unfinished.
      if (d.orderingKey != null || !this.cache.knownActive(d.destinationId) || !this.inactive.clear(d.destinationId)) continue;
      taken.set(d.id, { ...d, status: 'IN_FLIGHT', leaseOwner: this.workerId, dueAt: leaseUntil });
    }
    if (!taken.size) return null;
    this.reserved += taken.size;
    this.handOffs += 1;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      this.reserved -= taken.size;
      this.handOffs -= 1;
      return true;
    };
    return {
      taken,
      commit: (events) => {
        if (!settle()) return;
        // A new delivery's round starts at attempt 0 (see next-retry.ts).
        const claimed = [...taken.values()].map((delivery) => ({ delivery, roundBase: 0 }));
        if (this.running) this.startClaimed(claimed, [...events]);
        else this.track(this.giveBack(claimed, new Date()));
      },
      abort: () => {
        if (settle()) this.wake();
      },
    };
  }

  /**
   * Claimed (or handed-off) deliveries: load what their requests need, then queue them for
   * a slot. `fromLine`: claimed from a limited destination's line (a delivery of a limited
   * destination that came any other way goes back to its line).
   */
  private startClaimed(claimed: Claimed[], events: EventEntity[], fromLine = false): void {
    this.starting += claimed.length;
    this.track(
      this.startBatch(claimed, events, fromLine)
        .catch((error: unknown) => this.deps.log.error({ err: coerceError(error) }, 'starting a claimed batch failed; its leases will expire'))
        .finally(() => (this.starting -= claimed.length)),
    );
  }

  /** Work a stop waits for before it releases what is left. */
  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.batches.delete(tracked));
    this.batches.add(tracked);
  }

  private async startBatch(claimed: Claimed[], events: EventEntity[], fromLine: boolean): Promise<void> {
    let context: DeliveryContext;
    try {
      context = await this.cache.load(
        claimed.map((c) => c.delivery),
        events,
      );
    } catch (error) {
      await this.release(claimed, new Date());
      throw error;
    }
    const parked: Claimed[] = [];
    const toLine: Claimed[] = [];
    for (const c of claimed) {
      const d = c.delivery;
      const event = context.events.get(d.eventId);
      const webhook = context.webhooks.get(d.webhookId);
      const destination = context.destinations.get(d.destinationId);
      if (!event || !webhook || webhook.deletedAt || !destination || destination.deletedAt) {
        void this.writer.write(finishCancelled(d, !event ? 'event not found' : !webhook || webhook.deletedAt ? 'webhook deleted' : 'destination deleted'));
        continue;
      }
      if (destination.status !== 'ACTIVE') {
        parked.push(c);
        continue;
      }
      // Limits this process had not heard of when it claimed (set within the list's ttl): the line decides.
      if (destination.rateLimit && !fromLine) {
        toLine.push(c);
        this.lines.touch(destination.id);
        continue;
      }
      this.ready.push({ claimed: c, event, webhook, destination });
    }
    this.startReady();
    await Promise.all([this.giveBack(parked, new Date(Date.now() + PARK_MS)), this.giveBack(toLine, new Date())]);
    if (toLine.length) {
      this.inactive.invalidate();
      this.wake();
    }
  }

  /** A destination paused or disabled in this process: its deliveries waiting for a slot go back unsent. */
  private parkWaiting(destinationId: string): void {
    const parked = this.ready.filter((r) => r.destination.id === destinationId);
    if (!parked.length) return;
    this.ready.splice(0, this.ready.length, ...this.ready.filter((r) => r.destination.id !== destinationId));
    void this.giveBack(
      parked.map((r) => r.claimed),
      new Date(Date.now() + PARK_MS),
    );
  }

  /** Claimed deliveries back to the queue unsent, due at `dueAt`; when that fails their leases expire. */
  private async giveBack(claimed: Claimed[], dueAt: Date): Promise<void> {
    if (!claimed.length) return;
    await this.release(claimed, dueAt).catch((error: unknown) =>
      this.deps.log.error({ err: coerceError(error) }, 'giving deliveries back failed; their leases will expire'),
    );
  }

  /** The limited destinations that are sending, as last read: the lines to claim. */
  private sendingLines(): string[] {
    return this.inactive.limited.filter((id) => !this.inactive.has(id));
  }

  /** How many more deliveries claims may take: up to `concurrency` slots and CLAIMS_AHEAD batches ahead of them. */
  private get room(): number {
    return this.config.concurrency + CLAIMS_AHEAD * this.config.claimBatch - this.busy;
  }

  /** Deliveries this dispatcher has or will have in a slot: in one, loading, claimed or handed off, waiting for one. */
  private get busy(): number {
    return this.active.size + this.starting + this.reserved + this.ready.length;
  }

  /** A request may start: fewer than `concurrency` on the wire, and sent-but-not-recorded within its bound (UNRECORDED_SLOTS). */
  private get slotFree(): boolean {
    return this.active.size < this.config.concurrency && this.active.size + this.writer.pending < this.maxUnrecorded;
  }

  /**
   * Sends waiting deliveries while there are free slots. One whose destination another
   * process has paused meanwhile (as the claims last read the list) is parked instead.
   * A destination whose breaker is probing it gets one request per reading of the list
   * (its result is committed, and read back, before the next goes); the others wait
   * behind it.
   */
  private startReady(): void {
    const parked: Claimed[] = [];
    const behindProbe: Ready[] = [];
    while (this.running && this.ready.length && this.slotFree) {
      const next = this.ready.shift()!;
      const destinationId = next.destination.id;
      if (this.inactive.has(destinationId)) {
        parked.push(next.claimed);
        continue;
      }
      const probe = this.inactive.probing(destinationId);
      if (probe && this.probes.get(destinationId) === this.inactive.generation) {
        behindProbe.push(next);
        continue;
      }
      const { claimed, event, webhook, destination } = next;
      const id = claimed.delivery.id;
      if (probe) this.probes.set(destinationId, this.inactive.generation);
      else if (this.probes.size) this.probes.delete(destinationId);
      const done = this.deliver(claimed, event, webhook, destination, this.stopNow.signal)
        .catch((error: unknown) => this.deps.log.error({ err: coerceError(error), deliveryId: id }, 'delivery attempt crashed'))
        .finally(() => {
          this.active.delete(id);
          this.startReady();
          if (this.backlog || this.wakeWanted) this.wake();
        });
      this.active.set(id, done);
    }
    this.ready.unshift(...behindProbe);
    void this.giveBack(parked, new Date(Date.now() + PARK_MS));
  }

  private async deliver(claimed: Claimed, event: EventEntity, webhook: WebhookEntity, destination: DestinationEntity, signal: AbortSignal): Promise<void> {
    const d = claimed.delivery;
    const attemptNumber = d.attemptCount + 1;
    // The request ends inside the lease (it may have waited for a slot since the claim).
    const leaseLeft = (d.dueAt?.getTime() ?? 0) - Date.now() - LEASE_MARGIN_MS;
    if (leaseLeft < MIN_TIMEOUT_MS) {
      await this.release([claimed], new Date());
      return;
    }
    const timeoutMs = Math.min(destination.timeoutMs, leaseLeft);
    const result = await runAttempt(this.deps.http, this.deps.box, { event, webhook, destination, deliveryId: d.id, attemptNumber, timeoutMs, signal });
    if (signal.aborted && !(result.kind === 'SENT' && result.exchange.kind === 'RESPONSE')) {
      // Cut off by the end of a stop's grace: the lease goes back for another worker, and
      // the delivery is sent again (the receiver may have had this one: a duplicate, with
      // the same webhook-id). An answer that arrived in time is recorded like any other.
      await this.release([claimed], new Date());
      return;
    }
    if (result.kind === 'UNBUILDABLE') {
      void this.writer.write(finishUnbuildable(d, result.error));
      return;
    }
    // The result joins the writer's next batch; until it commits, the lease is held and
    // the delivery counts as unrecorded (see slotFree).
    const finished = finishAttempt(claimed, result, destination, new Date());
    const dueAt = finished.completion.dueAt;
    void this.writer.write(finished).then(() => {
      if (!dueAt) return;
      if (destination.rateLimit) this.lines.touchAt(destination.id, dueAt.getTime());
      this.wakeAt(dueAt.getTime());
    });
  }

  private async release(claimed: Claimed[], dueAt: Date): Promise<void> {
    const now = new Date();
    const ids = claimed.map((c) => c.delivery.id);
    await queueTransaction(this.deps.db, (tx) => releaseLeases(tx, this.workerId, ids, dueAt, now));
    for (const c of claimed) {
      const status = c.delivery.attemptCount === 0 ? 'PENDING' : 'RETRY_SCHEDULED';
      this.announce({ ...c.delivery, status, leaseOwner: null, dueAt, updatedAt: now }, null);
    }
  }

  /** A retry this process scheduled: wake for it instead of waiting for the next poll. */
  private wakeAt(at: number): void {
    if (!this.running || (this.nextWake && this.nextWake.at <= at)) return;
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

  /** deliveryUpdated, after the commit; a throwing listener is logged and MUST NOT stop the engine. */
  private announce(delivery: DeliveryEntity, attempt: DeliveryAttemptEntity | null): void {
    try {
      this.deps.signals.emit('deliveryUpdated', delivery, attempt);
    } catch (error) {
      this.deps.log.error({ err: coerceError(error), deliveryId: delivery.id }, 'a deliveryUpdated listener failed');
    }
  }

  private afterCommit({ updated, disabledDestinations, down }: Committed): void {
    const { signals, events, destinations, log } = this.deps;
    // A destination found down may have had its breaker opened (no hand-off to it until
    // the next claim has read the list again), a probe's success closed it.
    if (down.length) this.inactive.doubt(down);
    else if (this.probes.size && updated.some((u) => this.inactive.probing(u.delivery.destinationId))) this.inactive.invalidate();
    this.startReady();
    // A finished delivery with an ordering key lets the next of its key go.
    // A finished request to a limited destination frees its place: its line may go on (as
    // may a line this process's room held back).
    const limited = this.inactive.limited;
    for (const { delivery } of updated) if (limited.includes(delivery.destinationId)) this.lines.touch(delivery.destinationId);
    const lineDue = limited.length > 0 && this.lines.anyDue(this.sendingLines(), Date.now());
    if (this.backlog || lineDue || updated.some((u) => u.delivery.orderingKey != null)) this.wake();
    for (const { delivery, attempt } of updated) this.announce(delivery, attempt);
    for (const { delivery, attempt } of updated) {
      if (delivery.status === 'FAILED' && delivery.trigger !== 'TEST') {
        publishDeliveryFailed(events, delivery, attempt).catch((error: unknown) =>
          log.error({ err: coerceError(error), deliveryId: delivery.id }, 'publishing delivery.failed failed'),
        );
      }
    }
    for (const { id, reason } of disabledDestinations) {
      this.cache.forget(id);
      log.warn({ destinationId: id, reason }, 'destination disabled');
      void (async () => {
        const destination = await destinations.getMany([id]).then((rows) => rows[0]);
        if (!destination) return;
        signals.emit('destinationStatusChanged', destination);
        await publishDestinationDisabled(events, destination);
      })().catch((error: unknown) => log.error({ err: coerceError(error), destinationId: id }, 'announcing destination.disabled failed'));
    }
  }
}
