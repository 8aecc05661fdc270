import DataLoader from 'dataloader';
import type { Principal } from '../domain/api-key/api-key.service';
import type { RecipeAttempt } from '../domain/delivery/attempt-bodies';
import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import type { DestinationEntity } from '../domain/destination/destination.entity';
import type { EventEntity } from '../domain/event/event.entity';
import type { WebhookEntity } from '../domain/webhook/webhook.entity';
import type { Services } from '../services';

/** Per-request loaders so a page of deliveries costs one query per related type. */
export interface Loaders {
  event: DataLoader<string, EventEntity | null>;
  webhook: DataLoader<string, WebhookEntity | null>;
  destination: DataLoader<string, DestinationEntity | null>;
  latestAttempt: DataLoader<string, DeliveryAttemptEntity | null>;
  /** Request bodies of stored attempts kept as a recipe, rebuilt only when asked for. */
  requestBody: DataLoader<RecipeAttempt, string | null, string>;
}

export interface Context {
  principal: Principal;
  services: Services;
  loaders: Loaders;
  /** The request's W3C `traceparent` header (HTTP only): a publish continues that trace. */
  traceparent: string | null;
}

function byId<T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await load(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

export function createContext(services: Services, principal: Principal, traceparent: string | null = null): Context {
  return {
    principal,
    services,
    traceparent,
    loaders: {
      event: byId((ids) => services.events.getMany(ids)),
      webhook: byId((ids) => services.webhooks.getMany(ids)),
      destination: byId((ids) => services.destinations.getMany(ids)),
      latestAttempt: new DataLoader(async (deliveryIds) => {
        const latest = new Map<string, DeliveryAttemptEntity>();
        for (const attempt of await services.deliveries.attemptsOf(deliveryIds)) {
          if (!latest.has(attempt.deliveryId)) latest.set(attempt.deliveryId, attempt);
        }
        return deliveryIds.map((id) => latest.get(id) ?? null);
      }),
      requestBody: new DataLoader((attempts) => services.deliveries.requestBodies(attempts), { cacheKeyFn: (attempt) => attempt.id }),
    },
  };
}
