import type { DestinationService } from '../../domain/destination/destination.service';
import type { EventEntity } from '../../domain/event/event.entity';
import type { SecretBox } from '../../domain/secrets/secret-box';
import { newEvent } from '../../domain/event/new-event';
import { newId } from '../../domain/common/ids';
import { UserError } from '../../domain/common/user-error';
import { matchesEventType, validateEventType } from '../../domain/webhook/event-type-pattern';
import { matchesFilter } from '../../domain/webhook/filter';
import type { WebhookEntity } from '../../domain/webhook/webhook.entity';
import type { WebhookService } from '../../domain/webhook/webhook.service';
import { buildRequest } from './build-request';
import type { OutboundRequest } from './outbound-request';
import { redactHeaders } from './redact';
import type { Scope } from '../../domain/tenant/scope';

export interface DryRunDeps {
  box: SecretBox;
  webhooks: WebhookService;
  destinations: DestinationService;
}

export interface DryRunResult {
  /** The request the first attempt would send, credentials in headers redacted. */
  request: OutboundRequest;
  /** Whether publishing this event would create a delivery for the webhook. */
  wouldDeliver: boolean;
  skipReason: string | null;
}

/**
 * webhookDryRun: renders exactly what the webhook's first attempt would send
 * for an event of this type and data, signed with the real secrets, and sends nothing,
 * stores nothing. The event and delivery ids are fresh placeholders (a real publish
 * draws its own), so `webhook-id` and the signature differ from a later real send.
 */
export async function renderDryRun(
  deps: DryRunDeps,
  webhookId: string,
  eventType: string,
  data: unknown,
  scope: Scope,
  now = new Date(),
): Promise<DryRunResult> {
  validateEventType(eventType, 'eventType');
  const webhook = await deps.webhooks.require(webhookId, scope);
  const destination = await deps.destinations.require(webhook.destinationId, scope, 'id');
  const event = newEvent(eventType, data ?? {}, webhook.tenantId, now);
  let request: OutboundRequest;
  try {
    request = buildRequest({ event, webhook, destination, deliveryId: newId('delivery'), attempt: 1, now }, deps.box);
  } catch (error) {
    // A sealed secret that no longer opens (another master key): say so, never what it held.
    throw new UserError(['id'], `the request could not be built: ${error instanceof Error ? error.message : String(error)}`, 'INVALID_STATE');
  }
  return { request: { ...request, headers: redactHeaders(request.headers) }, ...wouldDeliver(webhook, event) };
}

function wouldDeliver(webhook: WebhookEntity, event: EventEntity): Pick<DryRunResult, 'wouldDeliver' | 'skipReason'> {
  if (!webhook.enabled) return { wouldDeliver: false, skipReason: 'the webhook is disabled' };
  if (!matchesEventType(webhook.eventTypes, event.type)) {
    return { wouldDeliver: false, skipReason: `${event.type} matches none of the webhook's event types (${webhook.eventTypes.join(', ')})` };
  }
  if (!matchesFilter(webhook.filter, event.data)) return { wouldDeliver: false, skipReason: "the webhook's filter rejects this data" };
  return { wouldDeliver: true, skipReason: null };
}
