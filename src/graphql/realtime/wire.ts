import type { DeliveryAttemptEntity } from '../../domain/delivery/delivery-attempt.entity';
import type { DeliveryEntity } from '../../domain/delivery/delivery.entity';
import type { DestinationEntity } from '../../domain/destination/destination.entity';
import type { EventEntity } from '../../domain/event/event.entity';
import type { ListenerRequestEntity } from '../../domain/listener/listener-request.entity';
import { toDeliveryType, type DeliveryAttemptType, type DeliveryType } from '../delivery/delivery.type';
import { toDestinationType, type DestinationType } from '../destination/destination.type';
import type { EventType } from '../event/event.type';
import type { ListenerRequestType } from '../listener/listener.type';

/**
 * A message of the pub/sub: the GraphQL type its subscription resolves, as JSON (with
 * REDIS_URL it crosses processes), dates as epoch ms. Derived from the type, so each
 * field is declared once, where the GraphQL type declares it; the converters below
 * name only the dates, and the compiler finds a date they miss.
 */
export type Wire<T> = T extends Date ? number : T extends readonly (infer Item)[] ? Wire<Item>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export type DeliveryWire = Wire<DeliveryType>;
export type AttemptWire = Wire<DeliveryAttemptType>;
export type EventWire = Wire<EventType>;
/** The public face of a destination: secrets only as hints (or sealed). */
export type DestinationWire = Wire<DestinationType>;
export type ListenerRequestWire = Wire<ListenerRequestType>;

/** Entities → pub/sub messages, and back into the shapes the GraphQL types resolve from. */

const ms = (d: Date) => d.getTime();
const msOrNull = (d: Date | null) => (d ? d.getTime() : null);
const date = (n: number) => new Date(n);
const dateOrNull = (n: number | null) => (n === null ? null : new Date(n));

export function deliveryToWire(d: DeliveryEntity): DeliveryWire {
  const t = toDeliveryType(d);
  return {
    ...t,
    nextAttemptAt: msOrNull(t.nextAttemptAt),
    createdAt: ms(t.createdAt),
    updatedAt: ms(t.updatedAt),
    completedAt: msOrNull(t.completedAt),
  };
}

export function deliveryFromWire(w: DeliveryWire): DeliveryType {
  return {
    ...w,
    nextAttemptAt: dateOrNull(w.nextAttemptAt),
    createdAt: date(w.createdAt),
    updatedAt: date(w.updatedAt),
    completedAt: dateOrNull(w.completedAt),
  };
}

export function attemptToWire(a: DeliveryAttemptEntity): AttemptWire {
  return {
    id: a.id,
    deliveryId: a.deliveryId,
    attemptNumber: a.attemptNumber,
    requestMethod: a.requestMethod,
    requestUrl: a.requestUrl,
    requestHeaders: a.requestHeaders,
    requestBody: a.requestBody,
    responseStatusCode: a.responseStatusCode,
    responseHeaders: a.responseHeaders,
    responseBody: a.responseBody,
    responseTruncated: a.responseTruncated,
    durationMs: a.durationMs,
    outcome: a.outcome,
    error: a.error,
    createdAt: ms(a.createdAt),
  };
}

export function attemptFromWire(w: AttemptWire): DeliveryAttemptType {
  return { ...w, createdAt: date(w.createdAt) };
}

export function eventToWire(e: EventEntity): EventWire {
  return {
    id: e.id,
    tenantId: e.tenantId,
    type: e.type,
    entityId: e.entityId,
    entityUrl: e.entityUrl,
    data: e.data,
    idempotencyKey: e.idempotencyKey,
    orderingKey: e.orderingKey,
    source: e.source,
    rowNumber: e.rowNumber,
    syncMode: e.syncMode,
    occurredAt: ms(e.occurredAt),
    createdAt: ms(e.createdAt),
    traceParent: e.traceParent,
    syncOp: e.syncOp,
    runId: e.runId,
  };
}

export function eventFromWire(w: EventWire): EventType {
  return { ...w, occurredAt: date(w.occurredAt), createdAt: date(w.createdAt) };
}

export function destinationToWire(d: DestinationEntity): DestinationWire {
  const t = toDestinationType(d);
  return {
    ...t,
    statusChangedAt: ms(t.statusChangedAt),
    createdAt: ms(t.createdAt),
    updatedAt: ms(t.updatedAt),
    signing: { ...t.signing, previousSecretExpiresAt: msOrNull(t.signing.previousSecretExpiresAt) },
    circuit: { ...t.circuit, failingSince: msOrNull(t.circuit.failingSince), openUntil: msOrNull(t.circuit.openUntil) },
  };
}

export function destinationFromWire(w: DestinationWire): DestinationType {
  return {
    ...w,
    statusChangedAt: date(w.statusChangedAt),
    createdAt: date(w.createdAt),
    updatedAt: date(w.updatedAt),
    signing: { ...w.signing, previousSecretExpiresAt: dateOrNull(w.signing.previousSecretExpiresAt) },
    circuit: { ...w.circuit, failingSince: dateOrNull(w.circuit.failingSince), openUntil: dateOrNull(w.circuit.openUntil) },
  };
}

export function listenerRequestToWire(r: ListenerRequestEntity): ListenerRequestWire {
  return {
    id: r.id,
    listenerId: r.listenerId,
    method: r.method,
    contentType: r.contentType,
    headers: r.headers,
    body: r.body,
    verified: r.verified,
    error: r.error,
    responseStatusCode: r.responseStatusCode,
    eventId: r.eventId,
    createdAt: ms(r.createdAt),
  };
}

export function listenerRequestFromWire(w: ListenerRequestWire): ListenerRequestType {
  return { ...w, createdAt: date(w.createdAt) };
}
