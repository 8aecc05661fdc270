import { UserError } from '../common/user-error';

export const DELIVERY_FAILED = 'delivery.failed';
export const DESTINATION_DISABLED = 'destination.disabled';
export const WEBHOOK_CREATED = 'webhook.created';
export const SYNC_RUN_COMPLETED = 'sync.run.completed';

/**
 * hookgraph publishes its own events (source SYSTEM) in these namespaces, and its test
 * sends as `hookgraph.test`; nobody else may publish there, so a receiver can trust a
 * `delivery.failed` to come from hookgraph. Compared without case, so that
 * `Delivery.failed` cannot pass for one either.
 */
export const SYSTEM_NAMESPACES = ['delivery', 'destination', 'webhook', 'hookgraph'] as const;

/** Types hookgraph publishes outside its namespaces (a sync run's end), reserved as well. */
export const SYSTEM_PREFIXES = ['sync.run.'] as const;

export function isReservedEventType(type: string): boolean {
  const lower = type.toLowerCase();
  const namespace = lower.split('.', 1)[0]!;
  return (SYSTEM_NAMESPACES as readonly string[]).includes(namespace) || SYSTEM_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

export function refuseReservedEventType(type: string, field: string[]): void {
  if (isReservedEventType(type)) {
    const reserved = [...SYSTEM_NAMESPACES.map((n) => `${n}.*`), ...SYSTEM_PREFIXES.map((p) => `${p}*`)];
    throw new UserError(field, `"${type}" is reserved: ${reserved.join(', ')} are hookgraph's own events`, 'RESERVED_EVENT_TYPE');
  }
}
