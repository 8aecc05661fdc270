import type { DeliveryAttemptEntity } from '../../domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../../domain/delivery/delivery.entity';
import type { TenantPortalState } from '../../domain/portal/portal-generations';
import type { Signals } from '../../domain/common/signals';
import type { HookgraphPubSub, TopicName } from './pubsub';
import { attemptToWire, deliveryToWire, destinationToWire, eventToWire, listenerRequestToWire } from './wire';

/** Who can receive a change; the SubscriberHub is one. */
export interface Audience {
  wants(topic: TopicName): boolean;
  passed(deliveryId: string, version: number): void;
}

/**
 * Forwards the domain's signals to the GraphQL pub/sub. Signals fire only after the
 * transaction that made them true has committed, so subscribers never see a change the
 * database does not hold. Each change is encoded once here, whatever the number of
 * subscribers in whichever process, and not at all when nobody can receive it (two
 * delivery changes per delivery add up under load).
 */
export function bridgeSignals(signals: Signals, pubsub: HookgraphPubSub, audience: Audience): () => void {
  const publishDelivery = (delivery: DeliveryEntity, attempt: DeliveryAttemptEntity | null) => {
    if (audience.wants('deliveryUpdated')) {
      pubsub.publish('deliveryUpdated', { delivery: deliveryToWire(delivery), attempt: attempt && attemptToWire(attempt) });
    } else {
      audience.passed(delivery.id, delivery.version);
    }
  };
  const offs = [
    signals.on('deliveryUpdated', publishDelivery),
    signals.on('deliveriesCreated', (deliveries) => {
      for (const delivery of deliveries) publishDelivery(delivery, null);
    }),
    signals.on('eventPublished', (event) => {
      if (audience.wants('eventPublished')) pubsub.publish('eventPublished', eventToWire(event));
    }),
    signals.on('destinationStatusChanged', (destination) => {
      if (audience.wants('destinationStatusChanged')) pubsub.publish('destinationStatusChanged', destinationToWire(destination));
    }),
    signals.on('listenerRequestReceived', (request) => {
      if (audience.wants('listenerRequestReceived')) pubsub.publish('listenerRequestReceived', listenerRequestToWire(request));
    }),
    signals.on('bulkRetryProgress', (progress) => {
      if (audience.wants('bulkRetryProgress')) pubsub.publish('bulkRetryProgress', progress);
    }),
    signals.on('bulkJobProgress', (progress) => {
      if (audience.wants('bulkJobProgress')) pubsub.publish('bulkJobProgress', progress);
    }),
    // Always: revoking a key closes the connections it opened, whatever they subscribe to.
    signals.on('apiKeyRevoked', (apiKeyId) => pubsub.publish('apiKeyRevoked', { apiKeyId })),
    // Always, as for keys: the tokens stop in every process, and their sockets close.
    signals.on('tenantPortalRevoked', (tenant) => pubsub.publish('portalAccessChanged', portalStateOf(tenant))),
    signals.on('tenantDeleting', (tenant) => pubsub.publish('portalAccessChanged', portalStateOf(tenant))),
  ];
  return () => {
    for (const off of offs) off();
  };
}

const portalStateOf = ({ id, status, portalGeneration }: TenantPortalState): TenantPortalState => ({ id, status, portalGeneration });
