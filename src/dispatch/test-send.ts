import type { Database } from '../database/database';
import type { DeliveryAttemptEntity } from '../domain/delivery/delivery-attempt.entity';
import { DeliveryAttemptEntity as AttemptTable } from '../domain/delivery/delivery-attempt.entity';
import { DeliveryEntity } from '../domain/delivery/delivery.entity';
import type { DestinationEntity } from '../domain/destination/destination.entity';
import type { DestinationService } from '../domain/destination/destination.service';
import { EventEntity } from '../domain/event/event.entity';
import type { SecretBox } from '../domain/secrets/secret-box';
import { newEvent } from '../domain/event/new-event';
import { newId } from '../domain/common/ids';
import type { Signals } from '../domain/common/signals';
import { UserError } from '../domain/common/user-error';
import { validateEventType } from '../domain/webhook/event-type-pattern';
import type { Scope } from '../domain/tenant/scope';
import type { WebhookEntity } from '../domain/webhook/webhook.entity';
import type { WebhookService } from '../domain/webhook/webhook.service';
import { runAttempt } from './attempt-runner';
import type { HttpClient } from './http-client';
import type { Outcome } from './outcome';
import type { OutboundRequest } from './request/outbound-request';
import { redactHeaders } from './request/redact';

export const TEST_EVENT_TYPE = 'hookgraph.test';

export interface TestSendResult {
  delivery: DeliveryEntity;
  attempt: DeliveryAttemptEntity;
  /** The request as it went on the wire, secrets in headers redacted. */
  request: OutboundRequest;
  outcome: Outcome;
}

interface TestSendDeps {
  db: Database;
  box: SecretBox;
  signals: Signals;
  http: HttpClient;
  destinations: DestinationService;
  webhooks: WebhookService;
}

/**
 * destinationTest / webhookTest: one attempt, now, while the caller waits. Recorded as
 * a TEST delivery with its event and attempt, never retried, and never changing the
 * destination (a 410 from a test does not disable it: the operator is looking at it).
 * The test event is stored for the record but not routed to any webhook.
 */
export class TestSendService {
  constructor(private readonly deps: TestSendDeps) {}

  async destinationTest(id: string, eventType: string | null | undefined, data: unknown, scope: Scope): Promise<TestSendResult> {
    const destination = await this.deps.destinations.require(id, scope);
    const type = eventType ?? TEST_EVENT_TYPE;
    validateEventType(type, 'eventType');
    const now = new Date();
    // A destination test has no subscription: the webhook is a stand-in that is never stored.
    const webhook: WebhookEntity = {
      id: newId('webhook'),
      tenantId: destination.tenantId,
      name: `test of ${destination.name}`,
      destinationId: destination.id,
      eventTypes: [type],
      filter: null,
      includeEntity: true,
      fieldMapping: [],
      syncMode: null,
      payloadFormat: 'HOOKGRAPH',
      enabled: true,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    return this.send(destination, webhook, type, data);
  }

  async webhookTest(id: string, data: unknown, scope: Scope): Promise<TestSendResult> {
    const webhook = await this.deps.webhooks.require(id, scope);
    const destination = await this.deps.destinations.require(webhook.destinationId, scope, 'id');
    const type = webhook.eventTypes.find((t) => !t.includes('*')) ?? TEST_EVENT_TYPE;
    return this.send(destination, webhook, type, data);
  }

  private async send(destination: DestinationEntity, webhook: WebhookEntity, type: string, data: unknown): Promise<TestSendResult> {
    const now = new Date();
    const event = newEvent(type, data ?? { test: true, message: 'a test event from hookgraph', sentAt: now.toISOString() }, destination.tenantId, now);
    const deliveryId = newId('delivery');
    const result = await runAttempt(this.deps.http, this.deps.box, {
      event,
      webhook,
      destination,
      deliveryId,
      attemptNumber: 1,
      timeoutMs: destination.timeoutMs,
    });
    if (result.kind === 'UNBUILDABLE') {
      throw new UserError(['id'], `the request could not be built: ${result.error.message}`, 'INVALID_STATE');
    }
    const { outcome, attempt, request } = result;
    const done = new Date();
    const delivery: DeliveryEntity = {
      id: deliveryId,
      tenantId: destination.tenantId,
      eventId: event.id,
      webhookId: webhook.id,
      destinationId: destination.id,
      eventType: type,
      status: outcome.kind === 'SUCCESS' ? 'SUCCEEDED' : 'FAILED',
      trigger: 'TEST',
      attemptCount: 1,
      dueAt: null,
      leaseOwner: null,
      orderingKey: null,
      lastStatusCode: attempt.responseStatusCode,
      lastError: attempt.error,
      createdAt: now,
      updatedAt: done,
      completedAt: done,
      version: 0,
    };
    await this.deps.db.transaction(async (tx) => {
      await tx.insert(EventEntity, event as never);
      await tx.insert(DeliveryEntity, delivery);
      await tx.insert(AttemptTable, attempt);
    });
    this.deps.signals.emit('deliveryUpdated', delivery, attempt);
    return { delivery, attempt, outcome, request: { ...request, headers: redactHeaders(request.headers) } };
  }
}
