import { ApiKeyEntity } from '../domain/api-key/api-key.entity';
import { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import { DeliveryEntity } from '../domain/delivery/delivery.entity';
import { DestinationEntity } from '../domain/destination/destination.entity';
import { EventEntity } from '../domain/event/event.entity';
import { ListenerDedupeEntity } from '../domain/listener/listener-dedupe.entity';
import { ListenerRequestEntity } from '../domain/listener/listener-request.entity';
import { ListenerEntity } from '../domain/listener/listener.entity';
import { SyncRunEntity } from '../domain/sync-run/sync-run.entity';
import { TenantEntity } from '../domain/tenant/tenant.entity';
import { WebhookEntity } from '../domain/webhook/webhook.entity';

export const ENTITIES = [
  ApiKeyEntity,
  DestinationEntity,
  WebhookEntity,
  EventEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  ListenerEntity,
  ListenerRequestEntity,
  ListenerDedupeEntity,
  TenantEntity,
  SyncRunEntity,
];
