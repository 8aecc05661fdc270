import type { Signals } from '../domain/common/signals';
import type { Logger } from '../logger';

/**
 * A destination's status changes at warn, from whatever changed it (an operator, a 410,
 * a breaker that gave up): with the reason, for the operator who wonders why nothing
 * arrives. Returns the function that stops it.
 */
export function logStatusChanges(signals: Signals, log: Logger): () => void {
  return signals.on('destinationStatusChanged', (destination) => {
    log.warn(
      { destinationId: destination.id, tenantId: destination.tenantId, status: destination.status, reason: destination.statusReason },
      'destination status changed',
    );
  });
}
