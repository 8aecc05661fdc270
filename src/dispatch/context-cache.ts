import { In, type EntityManager } from 'typeorm';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import { DestinationEntity } from '../domain/destination/destination.entity';
import { EventEntity } from '../domain/event/event.entity';
import { WebhookEntity } from '../domain/webhook/webhook.entity';

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
  private destinations = new Map<string, { row: DestinationEntity; at: number }>();
  private webhooks = new Map<string, { row: WebhookEntity; at: number }>();

  constructor(
    private readonly manager: EntityManager,
    private readonly ttlMs = 1000,
  ) {}

  async load(deliveries: readonly DeliveryEntity[]): Promise<DeliveryContext> {
    const now = Date.now();
    const [events, webhooks, destinations] = await Promise.all([
      this.manager.findBy(EventEntity, { id: In(unique(deliveries.map((d) => d.eventId))) }),
      this.cached(this.webhooks, WebhookEntity, deliveries.map((d) => d.webhookId), now),
      this.cached(this.destinations, DestinationEntity, deliveries.map((d) => d.destinationId), now),
    ]);
    return { events: new Map(events.map((e) => [e.id, e])), webhooks, destinations };
  }

  forget(destinationId: string): void {
    this.destinations.delete(destinationId);
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
      const rows = (await this.manager.findBy(entity, { id: In(missing) } as never)) as T[];
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
