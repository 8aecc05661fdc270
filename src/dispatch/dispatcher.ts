import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { DispatchConfig } from '../config';
import type { Database } from '../database/database';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { DestinationEntity } from '../domain/destination/destination.entity';
import type { DestinationService } from '../domain/destination/destination.service';
import type { EventEntity } from '../domain/event/event.entity';
import type { EventService } from '../domain/event/event.service';
import type { SecretBox } from '../domain/secrets/secret-box';
import type { Signals } from '../domain/common/signals';
import type { Logger } from '../logger';
import type { Tracing } from '../observability/tracing';
import { AfterCommit } from './after-commit';
import { deliveryAnnouncer } from './announce';
import { ClaimLoop, type ClaimLoopState } from './claim-loop';
import { ClaimedBatches } from './claimed-batches';
import { CompletionWriter } from './completion-writer';
import { ContextCache } from './context-cache';
import { DestinationLines } from './destination-lines';
import { ExpiredLeases } from './expired-leases';
import type { HttpClient } from './http-client';
import { LeaseRelease } from './lease-release';
import { PublishHandOff } from './publish-hand-off';
import { InactiveDestinations } from './inactive-destinations';
import { RequestSlots } from './request-slots';
import { Room } from './room';
import { Sender } from './sender';

export interface DispatcherDeps {
  db: Database;
  box: SecretBox;
  signals: Signals;
  events: EventService;
  destinations: DestinationService;
  http: HttpClient;
  tracing: Tracing;
  log: Logger;
}

/**
 * The delivery engine of one process, put together from its parts:
 * - the claim loop (claim-loop.ts) claims due deliveries in batches, woken in-process
 *   when a publish commits (polling only as a fallback);
 * - the hand-off at publish (publish-hand-off.ts) takes this process's new deliveries
 *   already leased, with no claim;
 * - claimed batches (claimed-batches.ts) load what the requests are built from;
 * - the request slots (request-slots.ts) send them (sender.ts) with bounded concurrency;
 * - the completion writer (completion-writer.ts) records the results in batches, and
 *   after each commit (after-commit.ts) the freed room is used and the results told.
 * What they hold together is bounded by the room (room.ts). No transaction is open while
 * a request is on the wire.
 */
export class Dispatcher {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly cache: ContextCache;
  private readonly inactive: InactiveDestinations;
  private readonly lines = new DestinationLines();
  private readonly expired: ExpiredLeases;
  private readonly writer: CompletionWriter;
  private readonly slots: RequestSlots;
  private readonly batches: ClaimedBatches;
  private readonly loop: ClaimLoop;
  private readonly handOff: PublishHandOff;
  private readonly unsubscribe: (() => void)[] = [];
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly config: DispatchConfig,
  ) {
    const { db, log } = deps;
    this.cache = new ContextCache(db);
    this.inactive = new InactiveDestinations({
      threshold: config.breaker.threshold,
      // Each process says what it sees: a breaker's hold (open) and its end, seen at its next read.
      onBreaker: (opened, closed) => {
        for (const destinationId of opened) log.warn({ destinationId }, 'circuit breaker open: deliveries to this destination are held');
        for (const destinationId of closed) log.warn({ destinationId }, 'circuit breaker no longer holding this destination');
      },
    });
    this.expired = new ExpiredLeases(db);
    this.writer = new CompletionWriter(db, this.workerId, {
      breaker: config.breaker,
      onError: (error) => log.error({ err: error }, 'writing delivery results failed; retrying'),
    });
    const { workerId, cache, inactive, lines, expired, writer } = this;
    const announce = deliveryAnnouncer(deps.signals, log);
    const leases = new LeaseRelease(db, workerId, announce, log);
    const room = new Room(config);
    // The claim loop comes last (it claims into the parts before it); they wake it through these.
    const sender = new Sender({ http: deps.http, box: deps.box, tracing: deps.tracing, writer, leases, lines, wakeAt: (at) => this.loop.wakeAt(at) });
    const slots = (this.slots = new RequestSlots({ config, inactive, writer, leases, sender, freed: () => this.loop.slotFreed(), log }));
    const batches = (this.batches = new ClaimedBatches({ cache, writer, leases, lines, inactive, slots, wake: () => this.loop.wake(), log }));
    const loop = (this.loop = new ClaimLoop({ db, workerId, config, room, inactive, lines, cache, expired, batches, slots, announce, log }));
    this.handOff = new PublishHandOff({ workerId, config, room, loop, cache, inactive, batches, leases });
    room.countHolders(slots, batches, loop, this.handOff);
    const { events, destinations, signals } = deps;
    writer.followedBy(new AfterCommit({ slots, loop, lines, inactive, cache, announce, events, destinations, signals, log }));
  }

  /** Requests on the wire now (the in-flight gauge). */
  get inFlight(): number {
    return this.slots.onTheWire;
  }

  /** What the claim loop is doing (claim-loop.ts). */
  get state(): ClaimLoopState {
    return this.loop.state;
  }

  start(): void {
    if (this.loop.state !== 'STOPPED' || this.stopping) return;
    const { signals, events } = this.deps;
    this.loop.start();
    this.unsubscribe.push(
      events.handOffTo(this.handOff),
      signals.on('deliveriesCreated', (deliveries, events) => this.created(deliveries, events)),
      signals.on('deliveriesRequeued', (deliveries) => {
        this.touchLines(deliveries);
        this.loop.wake();
      }),
      // Limits set here apply at once (set elsewhere, within the list's and the cache's ttl).
      signals.on('destinationLimitsChanged', (d) => {
        this.cache.forget(d.id);
        this.inactive.invalidate();
        this.lines.touch(d.id);
        this.loop.wake();
      }),
      signals.on('destinationStatusChanged', (d) => this.statusChanged(d)),
      // Changes made here are sent from the next attempt on (made elsewhere, within the cache's ttl).
      signals.on('routeChanged', (kind, id) => (kind === 'destination' ? this.cache.forget(id) : this.cache.forgetWebhook(id))),
    );
  }

  /**
   * Stop claiming and taking hand-offs; let in-flight requests finish within stopGraceMs;
   * abort the rest and release their leases (due now, for another worker); write
   * everything pending. Each step awaits promises that settle when the work it depends on
   * has ended.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const claims = this.loop.stop();
      const handOffs = this.handOff.close();
      this.slots.close();
      for (const off of this.unsubscribe.splice(0)) off();
      await Promise.all([claims, handOffs, this.expired.idle()]);
      await this.batches.idle();
      await this.slots.drain(this.config.stopGraceMs);
      await this.writer.drain();
      this.writer.close();
    })();
    return this.stopping;
  }

  /**
   * New deliveries of a publish in this process: those not handed to this dispatcher are
   * claimed, and their events kept for the claim (it need not read them back).
   */
  private created(deliveries: readonly DeliveryEntity[], events: readonly EventEntity[]): void {
    let toClaim: Set<string> | null = null;
    for (const d of deliveries) {
      // Handed off to this dispatcher at publish: already on their way.
      if (d.leaseOwner !== this.workerId) (toClaim ??= new Set()).add(d.eventId);
    }
    if (!toClaim) return;
    for (const event of events) if (toClaim.has(event.id)) this.cache.remember(event);
    this.touchLines(deliveries);
    this.loop.wake();
  }

  /** Deliveries of limited destinations joined their lines. */
  private touchLines(deliveries: readonly DeliveryEntity[]): void {
    const limited = this.inactive.limited;
    if (limited.length) for (const d of deliveries) if (limited.includes(d.destinationId)) this.lines.touch(d.destinationId);
  }

  private statusChanged(d: DestinationEntity): void {
    this.cache.forget(d.id);
    this.inactive.invalidate();
    if (d.status === 'ACTIVE') {
      if (d.rateLimit) this.lines.touch(d.id);
      this.loop.wake();
    } else {
      this.slots.parkWaiting(d.id);
    }
  }
}
