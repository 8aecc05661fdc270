import type { DispatchConfig } from '../config';
import type { DestinationEntity } from '../domain/destination/destination.entity';
import type { EventEntity } from '../domain/event/event.entity';
import type { WebhookEntity } from '../domain/webhook/webhook.entity';
import type { Logger } from '../logger';
import type { CompletionWriter } from './completion-writer';
import { coerceError } from './errors';
import type { LeaseRelease } from './lease-release';
import type { Claimed } from '../sql/claim-due';
import type { InactiveDestinations } from './inactive-destinations';
import type { Holder } from './room';

/**
 * Sent and not yet recorded (on the wire, or answered and waiting for the completion
 * writer's commit: what a crash sends again) is bounded at this many times
 * `concurrency`. An answered delivery frees its request slot while its result waits for
 * the commit: on MySQL the server's group commit takes longer than a local request, and
 * holding the slot left most slots idle. Four rather than two lets the writer's one flush
 * at a time gather batches of a hundred and more, which cost the database less per
 * delivery.
 */
export const UNRECORDED_SLOTS = 4;

/** A claimed delivery with what its request is built from, waiting for a slot. */
export interface Ready {
  claimed: Claimed;
  event: EventEntity;
  webhook: WebhookEntity;
  destination: DestinationEntity;
}

/** What goes on in a slot (sender.ts); `signal` aborts the request when a stop's grace ends. */
export interface SlotSender {
  send(ready: Ready, signal: AbortSignal): Promise<void>;
}

export interface RequestSlotsDeps {
  config: Pick<DispatchConfig, 'concurrency'>;
  inactive: InactiveDestinations;
  /** Its results not yet committed count against the unrecorded bound. */
  writer: Pick<CompletionWriter, 'pending'>;
  leases: LeaseRelease;
  sender: SlotSender;
  /** A request ended and its slot is free. */
  freed(): void;
  log: Logger;
}

/**
 * The request slots of one dispatcher: at most `concurrency` requests on the wire, and at
 * most UNRECORDED_SLOTS × `concurrency` sent and not yet recorded. Deliveries wait for a
 * slot in the order they came; one waiting for a slot is not sent, and a stop gives it
 * back. One whose destination another process has paused meanwhile (as the claims last
 * read the list) is parked instead of sent. A destination whose breaker is probing it
 * gets one request per reading of the list (its result is committed, and read back,
 * before the next goes); the others wait behind it.
 */
export class RequestSlots implements Holder {
  /** Sent (or being sent) and not yet handed to the writer: delivery id → its attempt. */
  private readonly active = new Map<string, Promise<void>>();
  /** Waiting for a slot, oldest first. */
  private readonly ready: Ready[] = [];
  /** Destinations whose breaker is probing them → the list generation this process sent its one probe on. */
  private readonly probes = new Map<string, number>();
  private readonly maxUnrecorded: number;
  /** Aborts the requests still on the wire when the stop's grace period ends. */
  private readonly stopNow = new AbortController();
  private closed = false;

  constructor(private readonly deps: RequestSlotsDeps) {
    this.maxUnrecorded = UNRECORDED_SLOTS * deps.config.concurrency;
  }

  /** Requests on the wire now. */
  get onTheWire(): number {
    return this.active.size;
  }

  get holding(): number {
    return this.active.size + this.ready.length;
  }

  /** This process has sent a probe to a destination whose breaker is probing it. */
  get probing(): boolean {
    return this.probes.size > 0;
  }

  /** Waits for a slot behind those already waiting (fill starts it). */
  enqueue(ready: Ready): void {
    this.ready.push(ready);
  }

  /** Starts waiting deliveries while slots are free. */
  fill(): void {
    const parked: Claimed[] = [];
    const behindProbe: Ready[] = [];
    const { inactive } = this.deps;
    while (!this.closed && this.ready.length && this.slotFree) {
      const next = this.ready.shift()!;
      const destinationId = next.destination.id;
      if (inactive.has(destinationId)) {
        parked.push(next.claimed);
        continue;
      }
      const probe = inactive.probing(destinationId);
      if (probe && this.probes.get(destinationId) === inactive.generation) {
        behindProbe.push(next);
        continue;
      }
      if (probe) this.probes.set(destinationId, inactive.generation);
      else if (this.probes.size) this.probes.delete(destinationId);
      this.start(next);
    }
    this.ready.unshift(...behindProbe);
    void this.deps.leases.park(parked);
  }

  /** A destination paused or disabled in this process: its deliveries waiting for a slot go back unsent. */
  parkWaiting(destinationId: string): void {
    const parked = this.ready.filter((r) => r.destination.id === destinationId);
    if (!parked.length) return;
    this.ready.splice(0, this.ready.length, ...this.ready.filter((r) => r.destination.id !== destinationId));
    void this.deps.leases.park(parked.map((r) => r.claimed));
  }

  /** A stop: no request starts from now on. */
  close(): void {
    this.closed = true;
  }

  /**
   * After close, once nothing more can come to wait: what waits goes back, due now, for
   * another worker; the requests on the wire may finish within `graceMs`, then are cut
   * off (see sender.ts).
   */
  async drain(graceMs: number): Promise<void> {
    const released = this.deps.leases.giveBack(
      this.ready.splice(0).map((r) => r.claimed),
      new Date(),
    );
    const all = Promise.all([...this.active.values()]);
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (graceTimer = setTimeout(() => resolve('late'), graceMs)));
    const result = await Promise.race([all.then(() => 'done' as const), grace]);
    clearTimeout(graceTimer);
    if (result === 'late') {
      this.stopNow.abort(new Error('hookgraph is stopping'));
      await Promise.all([...this.active.values()]);
    }
    await released;
  }

  /** A request may start: fewer than `concurrency` on the wire, and sent-but-not-recorded within its bound. */
  private get slotFree(): boolean {
    return this.active.size < this.deps.config.concurrency && this.active.size + this.deps.writer.pending < this.maxUnrecorded;
  }

  private start(next: Ready): void {
    const id = next.claimed.delivery.id;
    const done = this.deps.sender
      .send(next, this.stopNow.signal)
      .catch((error: unknown) => this.deps.log.error({ err: coerceError(error), deliveryId: id }, 'delivery attempt crashed'))
      .finally(() => {
        this.active.delete(id);
        this.fill();
        this.deps.freed();
      });
    this.active.set(id, done);
  }
}
