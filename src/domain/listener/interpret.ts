import { isReservedEventType } from '../event/system-event-types';
import { isEventType } from '../webhook/event-type-pattern';
import { readPath } from '../webhook/filter';
import { dedupeKeyOf } from './dedupe-key';
import { headerOf, type InboundRequest } from './inbound-request';
import type { ListenerEntity } from './listener.entity';
import { MAX_RECORDS_PER_REQUEST } from './listener.defaults';
import { BadBodyError } from './parse-body';
import { providerDedupe, providerEventType } from './providers';
import { verifyRequest } from './verify';
import { withoutPath } from './without-path';

/** An event a request makes. */
export interface InboundEvent {
  type: string;
  data: unknown;
}

export type Interpretation =
  | { ok: false; status: number; message: string; /** Why verification failed, for the capture only. */ detail?: string; verified: boolean }
  | {
      ok: true;
      events: InboundEvent[];
      /** The payload as accepted (a body token removed): the sample data. */
      accepted: unknown;
      /** Repeats of this request carry it too; null when deduplication is off or the request has none. */
      dedupeKey: string | null;
    };

/**
 * What a verified request to a listener means, without storing anything: its signature
 * checked, its body parsed, split into records at the resource path, each record's event
 * type found. The inbound route publishes what this returns; a mock run shows it.
 */
export function interpretRequest(listener: ListenerEntity, secret: string | null, req: InboundRequest): Interpretation {
  const verdict = verifyRequest(listener.verification, secret, req);
  if (!verdict.ok) return { ok: false, status: 401, message: 'verification failed', detail: `verification failed: ${verdict.reason}`, verified: false };
  let data: unknown;
  try {
    data = req.data();
  } catch (error) {
    if (error instanceof BadBodyError) return { ok: false, status: 400, message: error.message, verified: true };
    throw error;
  }
  // A token in the body proved the sender and goes no further: not into the event, its
  // deliveries and subscriptions, the sample data, nor the answer's template.
  const { tokenPath } = listener.verification;
  const accepted = tokenPath ? withoutPath(data, tokenPath) : data;
  const records = recordsOf(accepted, listener.resourcePath);
  if (!records) return { ok: false, status: 400, message: `no records at ${listener.resourcePath}`, verified: true };
  if (records.length > MAX_RECORDS_PER_REQUEST) {
    return { ok: false, status: 413, message: `at most ${MAX_RECORDS_PER_REQUEST} records a request`, verified: true };
  }
  const events: InboundEvent[] = [];
  for (const record of records) {
    const type = eventTypeOf(listener, req, record, accepted);
    if (!type) return { ok: false, status: 400, message: `no valid event type (${typeSources(listener)})`, verified: true };
    events.push({ type, data: record });
  }
  const dedupe = listener.dedupe ?? (listener.verification.provider ? providerDedupe(listener.verification.provider) : null);
  return { ok: true, events, accepted, dedupeKey: dedupe ? dedupeKeyOf(dedupe, req) : null };
}

/** The records at the resource path (an object there is one record), or the body itself; null when there is nothing. */
function recordsOf(body: unknown, resourcePath: string | null): unknown[] | null {
  if (!resourcePath) return [body];
  const at = readPath(body, resourcePath);
  if (Array.isArray(at)) return at.length ? at : null;
  return at !== null && typeof at === 'object' ? [at] : null;
}

/**
 * The first usable type, in order: the provider's, the body path's (in the record, then
 * in the whole body), the header's, then the fixed type. One of hookgraph's own types is
 * never usable.
 */
function eventTypeOf(l: ListenerEntity, req: InboundRequest, record: unknown, body: unknown): string | null {
  const candidates: unknown[] = [];
  if (l.verification.provider) candidates.push(providerEventType(l.verification.provider, req));
  if (l.eventTypePath) candidates.push(readPath(record, l.eventTypePath), readPath(body, l.eventTypePath));
  if (l.eventTypeHeader) candidates.push(headerOf(req, l.eventTypeHeader));
  const found = candidates.find((t): t is string => isEventType(t) && !isReservedEventType(t));
  return found ?? l.eventType;
}

function typeSources(l: ListenerEntity): string {
  const sources = [
    l.verification.provider && `the ${l.verification.provider.toLowerCase()} event`,
    l.eventTypePath && `body at ${l.eventTypePath}`,
    l.eventTypeHeader && `header ${l.eventTypeHeader}`,
  ].filter(Boolean);
  return sources.join(', ') || 'none set';
}
