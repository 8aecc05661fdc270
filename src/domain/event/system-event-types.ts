import { UserError } from '../shared/user-error';

export const DELIVERY_FAILED = 'delivery.failed';
export const DESTINATION_DISABLED = 'destination.disabled';
export const WEBHOOK_CREATED = 'webhook.created';

/**
 * hookgraph publishes its own events (source SYSTEM) in these namespaces, and its test
 * sends as `hookgraph.test`; nobody else may publish there, so a receiver can trust a
 * `delivery.failed` to come from hookgraph. Compared without case, so that
 * `Delivery.failed` cannot pass for one either.
 */
export const SYSTEM_NAMESPACES = ['delivery', 'destination', 'webhook', 'hookgraph'] as const;

export function isReservedEventType(type: string): boolean {
  const namespace = type.split('.', 1)[0]!.toLowerCase();
  return (SYSTEM_NAMESPACES as readonly string[]).includes(namespace);
}

export function refuseReservedEventType(type: string, field: string[]): void {
  if (isReservedEventType(type)) {
    throw new UserError(field, `"${type}" is reserved: ${SYSTEM_NAMESPACES.map((n) => `${n}.*`).join(', ')} are hookgraph's own events`, 'RESERVED_EVENT_TYPE');
  }
}
