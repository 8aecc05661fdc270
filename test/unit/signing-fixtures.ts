import { randomBytes } from 'node:crypto';
import { DestinationEntity } from '../../src/domain/destination/destination.entity';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/destination/destination.defaults';
import { EventEntity } from '../../src/domain/event/event.entity';
import { SecretBox } from '../../src/domain/secrets/secret-box';
import { WebhookEntity } from '../../src/domain/webhook/webhook.entity';
import type { DeliveryRequestInput } from '../../src/dispatch/request/outbound-request';

/** Entities for the pure wire-format tests (no database: buildRequest only reads them). */
export const box = new SecretBox(randomBytes(32));
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const NOW = new Date('2026-11-23T01:00:00.000Z');

export function destination(overrides: Partial<DestinationEntity> = {}): DestinationEntity {
  return Object.assign(
    new DestinationEntity(),
    {
      id: 'dst_01JTEST',
      tenantId: 'tnt_00000000000000000000000000',
      name: 'test',
      url: 'https://receiver.example/hooks',
      method: 'POST',
      format: 'JSON',
      timeoutMs: 15_000,
      headers: [],
      authType: 'NONE',
      authUsername: null,
      authSecretSealed: null,
      authSecretHint: null,
      signingSecretSealed: box.seal(SECRET),
      signingSecretHint: '…LaSw',
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      customHmac: null,
      retryPolicy: DEFAULT_RETRY_POLICY,
      rateLimit: null,
      status: 'ACTIVE',
      statusReason: null,
      statusChangedAt: NOW,
      failureStreak: 0,
      failingSince: null,
      circuitOpenUntil: null,
      createdAt: NOW,
      updatedAt: NOW,
      deletedAt: null,
    } satisfies DestinationEntity,
    overrides,
  );
}

export function webhook(overrides: Partial<WebhookEntity> = {}): WebhookEntity {
  return Object.assign(
    new WebhookEntity(),
    {
      id: 'whk_01JTEST',
      tenantId: 'tnt_00000000000000000000000000',
      name: 'test',
      destinationId: 'dst_01JTEST',
      eventTypes: ['*'],
      filter: null,
      includeEntity: true,
      fieldMapping: [],
      syncMode: null,
      payloadFormat: 'HOOKGRAPH',
      enabled: true,
      createdAt: NOW,
      updatedAt: NOW,
      deletedAt: null,
    } satisfies WebhookEntity,
    overrides,
  );
}

export function event(overrides: Partial<EventEntity> = {}): EventEntity {
  return Object.assign(
    new EventEntity(),
    {
      id: 'evt_01JTESTEVENT',
      tenantId: 'tnt_00000000000000000000000000',
      type: 'customer.updated',
      entityId: 'cus_42',
      entityUrl: null,
      data: { first_name: 'Ryan', email: 'ryan.salisbury@sakilacustomer.org', active: 1 },
      idempotencyKey: null,
      orderingKey: null,
      source: 'API',
      rowNumber: null,
      syncMode: null,
      occurredAt: new Date('2026-11-23T00:59:00.000Z'),
      createdAt: new Date('2026-11-23T00:59:00.000Z'),
      traceParent: null,
      syncOp: null,
      runId: null,
    } satisfies EventEntity,
    overrides,
  );
}

export function input(overrides: Partial<DeliveryRequestInput> = {}): DeliveryRequestInput {
  return { event: event(), webhook: webhook(), destination: destination(), deliveryId: 'dlv_01JTEST', attempt: 1, now: NOW, ...overrides };
}

export function header(headers: readonly { name: string; value: string }[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
