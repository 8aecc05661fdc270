import type { Header } from '../../domain/destination/destination.entity';
import type { PayloadFormat } from '../../domain/webhook/payload-format';
import { syncOpOf } from '../../domain/event/event.entity';
import { signCustomHmac } from '../signing/custom-hmac';
import { applyFieldMapping, buildEnvelope, isObject, type EnvelopeInput } from './envelope';
import { FLAT_SEPARATOR } from './flatten';

/** What a webhook's payload format decides: the JSON value sent and how GET and form requests flatten it. */
export interface FormattedPayload {
  value: object;
  /** Joins nested keys when the value is flattened into a query string or form body. */
  separator: string;
  /**
   * The format's own headers, given what is signed (the body, or the query string of a GET)
   * and the key of its signature (the destination's custom HMAC secret, else its signing secret).
   */
  headers(signedPayload: string, hmacKey: string): Header[];
}

export function formatPayload(format: PayloadFormat, input: EnvelopeInput): FormattedPayload {
  switch (format) {
    case 'HOOKGRAPH':
      return { value: buildEnvelope(input), separator: FLAT_SEPARATOR, headers: () => [] };
    case 'VALMI':
      return { value: valmiPayload(input), separator: VALMI_SEPARATOR, headers: () => [] };
    case 'ETLWORKS':
      return {
        value: etlworksPayload(input),
        separator: FLAT_SEPARATOR,
        headers: (signed, key) => etlworksHeaders(input, signCustomHmac(ETLWORKS_HMAC, key, signed)),
      };
  }
}

/**
 * valmi.io flattens GET parameters with a single `_`: `_valmi_meta` and `_valmi_row_num`
 * become `_valmi_meta__valmi_row_num`.
 */
const VALMI_SEPARATOR = '_';

/** A row with no sync mode of its own or of its webhook is an append: it only adds. */
const VALMI_DEFAULT_SYNC_MODE = 'append';

/**
 * valmi.io's row: the mapped fields at the top level, `_valmi_meta` first with the row's
 * number (1-based; a single publish is row 1) and sync operation, then `_message_id` (the
 * event id, the same on every attempt) and `_sync_mode`.
 */
function valmiPayload({ event, webhook }: EnvelopeInput): object {
  const mode = event.syncMode ?? webhook.syncMode;
  const syncMode = mode?.toLowerCase() ?? VALMI_DEFAULT_SYNC_MODE;
  const meta = { _valmi_row_num: event.rowNumber ?? 1, _valmi_sync_op: syncOpOf(event, mode) ?? VALMI_DEFAULT_SYNC_MODE };
  const fields = webhook.includeEntity ? applyFieldMapping(event.data, webhook.fieldMapping) : {};
  const row: Record<string, unknown> = {
    _valmi_meta: meta,
    ...(isObject(fields) ? fields : { data: fields }),
    _message_id: event.id,
    _sync_mode: syncMode,
  };
  // A field of the data named like valmi's own keys does not replace them.
  Object.assign(row, { _valmi_meta: meta, _message_id: event.id, _sync_mode: syncMode });
  return row;
}

const ETLWORKS_HMAC = { algorithm: 'SHA1', encoding: 'HEX', prefix: '' } as const;

/** Etlworks' payload: epoch-millisecond timestamp, `entity` only when the webhook includes it. */
function etlworksPayload({ event, webhook }: EnvelopeInput): object {
  return {
    eventId: event.id,
    eventType: event.type,
    webhookId: webhook.id,
    entityId: event.entityId,
    ...(webhook.includeEntity ? { entity: applyFieldMapping(event.data, webhook.fieldMapping) } : {}),
    ...(event.entityUrl !== null ? { entityUrl: event.entityUrl } : {}),
    timestamp: event.occurredAt.getTime(),
  };
}

/** Etlworks' headers; the signature is the hex HMAC-SHA1 of what is signed (the body of a POST). */
function etlworksHeaders({ event, webhook }: EnvelopeInput, signature: string): Header[] {
  const headers: Header[] = [
    { name: 'X-Etl-Webhook-Event-Id', value: event.id },
    { name: 'X-Etl-Webhook-Event', value: event.type },
    { name: 'X-Etl-Webhook-Id', value: webhook.id },
  ];
  if (event.entityId !== null) headers.push({ name: 'X-Etl-Webhook-Entity-Id', value: event.entityId });
  if (event.entityUrl !== null) headers.push({ name: 'X-Etl-Webhook-Entity-URL', value: event.entityUrl });
  headers.push({ name: 'X-Etl-Webhook-Signature', value: signature });
  return headers;
}
