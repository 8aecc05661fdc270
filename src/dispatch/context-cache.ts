import { In } from 'typeorm';
import type { Database } from '../database/database';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import { DestinationEntity } from '../domain/destination/destination.entity';
import type { EventEntity } from '../domain/event/event.entity';
import { WebhookEntity } from '../domain/webhook/webhook.entity';
import { loadEvents } from '../sql/load-events';

/** Small on purpose: under a backlog the cache cannot help (claims come later), and an event may hold 512 KiB. */
const MAX_RECENT_EVENTS = 1000;

export interface DeliveryContext {
  events: Map<string, EventEntity>;
  webhooks: Map<string, WebhookEntity>;
  destinations: Map<string, DestinationEntity>;
}

/**
 * What a claimed batch needs besides its rows, loaded once per batch. Destinations and
 * webhooks change rarely and are cached for `ttlMs` (changes made by other processes
 * arrive within it); events are immutable but many, so they are read per batch.
 */
export class ContextCache {
  /** Events published by this process and not yet delivered: the wake-up path skips reading them back. */
  private readonly recentEvents = new Map<string, EventEntity>();
  private destinations = new Map<string, { row: DestinationEntity; at: number }>();
  private webhooks = new Map<string, { row: WebhookEntity; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs = 1000,
  ) {}

  /** `preloaded`: events already read (along with the claim). */
  async load(deliveries: readonly DeliveryEntity[], preloaded: readonly EventEntity[] = []): Promise<DeliveryContext> {
    const now = Date.now();
    const events = new Map<string, EventEntity>(preloaded.map((e) => [e.id, e]));
    const missing: string[] = [];
    for (const id of unique(deliveries.map((d) => d.eventId))) {
      if (events.has(id)) continue;
      const hit = this.recentEvents.get(id);
      if (hit) {
        events.set(id, hit);
        this.recentEvents.delete(id);
      } else {
        missing.push(id);
      }
    }
    const [loaded, webhooks, destinations] = await Promise.all([
      missing.length ? loadEvents(this.db, missing) : [],
      this.cached(
        this.webhooks,
        WebhookEntity,
        deliveries.map((d) => d.webhookId),
        now,
      ),
      this.cached(
        this.destinations,
        DestinationEntity,
        deliveries.map((d) => d.destinationId),
        now,
      ),
    ]);
    for (const e of loaded) events.set(e.id, e);
    return { events, webhooks, destinations };
  }

  /** Of these event ids, those this cache cannot give (to be read from the database). */
  unknownEvents(ids: string[]): string[] {
    return ids.filter((id) => !this.recentEvents.has(id));
  }

  /** An event committed in this process that has deliveries to make. Bounded: the oldest go first. */
  remember(event: EventEntity): void {
    this.recentEvents.set(event.id, event);
    if (this.recentEvents.size > MAX_RECENT_EVENTS) this.recentEvents.delete(this.recentEvents.keys().next().value!);
  }

  /**
   * Whether this destination was ACTIVE when last read and has not changed in this
   * process since (nothing is read: the hand-off at publish must not wait). It may be
   * older than the ttl: `load` reads it again before anything is sent, and a delivery
   * of a destination paused elsewhere meanwhile is parked there, as after a claim.
   */
  knownActive(destinationId: string): boolean {
    const hit = this.destinations.get(destinationId);
    return !!hit && hit.row.status === 'ACTIVE' && !hit.row.deletedAt;
  }

  forget(destinationId: string): void {
    this.destinations.delete(destinationId);
  }

  forgetWebhook(webhookId: string): void {
    this.webhooks.delete(webhookId);
  }

  private async cached<T extends { id: string }>(
    cache: Map<string, { row: T; at: number }>,
    entity: new () => T,
    wanted: string[],
    now: number,
  ): Promise<Map<string, T>> {
    const result = new Map<string, T>();
    const missing: string[] = [];
    for (const id of unique(wanted)) {
      const hit = cache.get(id);
      if (hit && hit.at + this.ttlMs > now) result.set(id, hit.row);
      else missing.push(id);
    }
    if (missing.length) {
      const rows = (await this.db.manager.findBy(entity, { id: In(missing) } as never)) as T[];
      for (const row of rows) {
        cache.set(row.id, { row, at: now });
        result.set(row.id, row);
      }
    }
    return result;
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
