import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { Signals } from '../domain/common/signals';
import type { Logger } from '../logger';
import { coerceError } from './errors';

/** Tells the process a delivery's new state (deliveryUpdated); called only after the commit that made it true. */
export type AnnounceDelivery = (delivery: DeliveryEntity, attempt: DeliveryAttemptEntity | null) => void;

/** A throwing listener is logged and MUST NOT stop the engine. */
export function deliveryAnnouncer(signals: Signals, log: Logger): AnnounceDelivery {
  return (delivery, attempt) => {
    try {
      signals.emit('deliveryUpdated', delivery, attempt);
    } catch (error) {
      log.error({ err: coerceError(error), deliveryId: delivery.id }, 'a deliveryUpdated listener failed');
    }
  };
}
