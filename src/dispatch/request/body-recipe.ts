import type { DestinationEntity } from '../../domain/destination/destination.entity';
import type { EventEntity, SyncMode } from '../../domain/event/event.entity';
import type { WebhookEntity } from '../../domain/webhook/webhook.entity';
import { buildEnvelope } from './envelope';

/**
 * Most request bodies are the envelope as JSON: the event (stored anyway) with the
 * delivery's id and attempt number and what the webhook said about the data. Such a body
 * is not stored with its attempt; the attempt keeps a recipe instead, the webhook's
 * settings that shaped the body when it was sent, and the body is rebuilt from the event
 * when read. An attempt then stores a few dozen bytes instead of the whole envelope, and
 * a webhook changed later does not change what its past attempts show.
 *
 * A body the recipe cannot describe (another payload format, a field mapping, a form or
 * GET rendering) has no recipe and is stored as sent.
 *
 * The recipe's text: `envelope`, then `;data` when the event's data was included, then
 * `;syncMode=<mode>` when the webhook had a sync mode.
 */
const ENVELOPE = 'envelope';
const WITH_DATA = 'data';
const SYNC_MODE = 'syncMode=';

/** The recipe of the body `buildRequest` renders for this webhook and destination, or null when it must be stored. */
export function bodyRecipeOf(webhook: WebhookEntity, destination: DestinationEntity): string | null {
  if (webhook.payloadFormat !== 'HOOKGRAPH' || destination.method === 'GET' || destination.format !== 'JSON') return null;
  if (webhook.includeEntity && webhook.fieldMapping.length > 0) return null;
  let recipe = ENVELOPE;
  if (webhook.includeEntity) recipe += `;${WITH_DATA}`;
  if (webhook.syncMode) recipe += `;${SYNC_MODE}${webhook.syncMode}`;
  return recipe;
}

export interface RebuildInput {
  event: EventEntity;
  webhookId: string;
  deliveryId: string;
  attempt: number;
}

/** The body a recipe describes, byte for byte as it was sent; null for a recipe this version does not know. */
export function rebuildBody(recipe: string, { event, webhookId, deliveryId, attempt }: RebuildInput): string | null {
  const [kind, ...options] = recipe.split(';');
  if (kind !== ENVELOPE) return null;
  let includeEntity = false;
  let syncMode: SyncMode | null = null;
  for (const option of options) {
    if (option === WITH_DATA) includeEntity = true;
    else if (option.startsWith(SYNC_MODE)) syncMode = option.slice(SYNC_MODE.length) as SyncMode;
    else return null;
  }
  const envelope = buildEnvelope({ event, webhook: { id: webhookId, includeEntity, fieldMapping: [], syncMode }, deliveryId, attempt });
  return JSON.stringify(envelope);
}
