import { randomUUID } from 'node:crypto';
import type { DeliveryEntity } from '../../domain/delivery/delivery.entity';
import type { Signals } from '../../domain/shared/signals';
import type { HookgraphPubSub } from '../pubsub';
import { attemptToWire, deliveryToWire, destinationToWire, eventToWire, listenerRequestToWire } from './wire';

/**
 * Forwards the domain's signals to the GraphQL pub/sub. Signals fire only after the
 * transaction that made them true has committed, so subscribers never see a change the
 * database does not hold. Each change is encoded once here, whatever the number of
 * subscribers in whichever process.
 */
export function bridgeSignals(signals: Signals, pubsub: HookgraphPubSub): () => void {
  const origin = randomUUID();
  // A re-queued delivery is announced as deliveryUpdated and again as deliveriesCreated
  // (to wake the dispatcher): publish it once.
  const announced = new WeakSet<DeliveryEntity>();
  const offs = [
    signals.on('deliveryUpdated', (delivery, attempt) => {
      announced.add(delivery);
      pubsub.publish('deliveryUpdated', { delivery: deliveryToWire(delivery), attempt: attempt && attemptToWire(attempt), origin });
    }),
    signals.on('deliveriesCreated', (deliveries) => {
      for (const delivery of deliveries) {
        if (announced.has(delivery)) continue;
        pubsub.publish('deliveryUpdated', { delivery: deliveryToWire(delivery), attempt: null, origin });
      }
    }),
    signals.on('eventPublished', (event) => pubsub.publish('eventPublished', eventToWire(event))),
    signals.on('destinationStatusChanged', (destination) =>
      pubsub.publish('destinationStatusChanged', destinationToWire(destination)),
    ),
    signals.on('listenerRequestReceived', (request) => pubsub.publish('listenerRequestReceived', listenerRequestToWire(request))),
    signals.on('apiKeyRevoked', (apiKeyId) => pubsub.publish('apiKeyRevoked', { apiKeyId })),
  ];
  return () => {
    for (const off of offs) off();
  };
}
