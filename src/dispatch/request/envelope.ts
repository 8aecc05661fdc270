import { syncOpOf, type EventEntity, type EventSource, type SyncMode, type SyncOp } from '../../domain/event/event.entity';
import type { FieldMapping, WebhookEntity } from '../../domain/webhook/webhook.entity';

/** The JSON body of every request, as README.md shows it to receivers; flattened for FORM_URLENCODED and GET. */
export interface Envelope {
  id: string;
  type: string;
  /** Who produced the event: a publisher (API), an inbound listener (LISTENER) or hookgraph itself (SYSTEM). */
  source: EventSource;
  /** When the event happened, ISO 8601. */
  timestamp: string;
  webhookId: string;
  entityId: string | null;
  entityUrl: string | null;
  /** Present only when the webhook includes the entity. */
  data?: unknown;
  meta: EnvelopeMeta;
}

export interface EnvelopeMeta {
  deliveryId: string;
  attempt: number;
  /** 1-based row of a batch publish, else null. */
  rowNumber: number | null;
  syncMode: SyncMode | null;
  /** The row's sync operation, lower-case (`upsert`, `delete`, …), as data-sync receivers read it. */
  syncOp: SyncOp | null;
}

export interface EnvelopeInput {
  event: EventEntity;
  /** What of the webhook shapes a payload. */
  webhook: Pick<WebhookEntity, 'id' | 'includeEntity' | 'fieldMapping' | 'syncMode'>;
  deliveryId: string;
  attempt: number;
}

export function buildEnvelope({ event, webhook, deliveryId, attempt }: EnvelopeInput): Envelope {
  const syncMode = event.syncMode ?? webhook.syncMode ?? null;
  return {
    id: event.id,
    type: event.type,
    source: event.source,
    timestamp: event.occurredAt.toISOString(),
    webhookId: webhook.id,
    entityId: event.entityId,
    entityUrl: event.entityUrl,
    ...(webhook.includeEntity ? { data: applyFieldMapping(event.data, webhook.fieldMapping) } : {}),
    meta: {
      deliveryId,
      attempt,
      rowNumber: event.rowNumber,
      syncMode,
      syncOp: syncOpOf(event, syncMode),
    },
  };
}

/**
 * With a field mapping, the payload is built from it (as a data sync maps them: the source fields
 * mapped to destination fields, and only those): each `from` path of the event data is
 * copied to its `to` path; a missing source is left out. Without one, the data is sent
 * unchanged.
 */
export function applyFieldMapping(data: unknown, mapping: readonly FieldMapping[]): unknown {
  if (mapping.length === 0) return data;
  const out: Record<string, unknown> = {};
  if (!isObject(data)) return out;
  for (const { from, to } of mapping) {
    const value = getPath(data, from);
    if (value !== undefined) setPath(out, to, structuredClone(value));
  }
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function segments(path: string): string[] {
  return path.split('.').filter((s) => s.length > 0);
}

function getPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const key of segments(path)) {
    if (!isObject(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = segments(path);
  if (keys.length === 0 || keys.some((k) => UNSAFE_KEYS.has(k))) return;
  const last = keys.pop()!;
  let cur = obj;
  for (const key of keys) {
    if (!isObject(cur[key])) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[last] = value;
}
