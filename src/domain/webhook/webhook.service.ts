import { IsNull, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Database } from '../../database/database';
import { cancelWaiting } from '../delivery/waiting';
import type { DestinationService } from '../destination/destination.service';
import { validateName } from '../destination/destination.validation';
import type { SyncMode } from '../event/event.entity';
import { WEBHOOK_CREATED } from '../event/system-event-types';
import { newId } from '../common/ids';
import { paginate, type PageArgs } from '../common/pagination';
import type { Signals } from '../common/signals';
import { UserError } from '../common/user-error';
import { visible, type Scope } from '../tenant/scope';
import { validateEventTypePatterns } from './event-type-pattern';
import { validateFilter } from './filter';
import type { PayloadFormat } from './payload-format';
import { WebhookEntity, type FieldMapping } from './webhook.entity';

export interface WebhookInput {
  name?: string | null;
  destinationId?: string | null;
  eventTypes?: string[] | null;
  filter?: unknown;
  includeEntity?: boolean | null;
  fieldMapping?: FieldMapping[] | null;
  syncMode?: SyncMode | null;
  payloadFormat?: PayloadFormat | null;
  enabled?: boolean | null;
}

/** Publishes one of hookgraph's own events about a change to a tenant's webhooks, once the change is stored. */
export type SystemEventPublisher = (type: string, entityId: string, data: Record<string, unknown>, tenantId: string) => Promise<void>;

const ENABLED_CACHE_MS = 1000;
const PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

export class WebhookService {
  /** Enabled webhooks, reloaded only after a change: fan-out reads this on every publish. */
  private enabledCache: { byTenant: Promise<Map<string, WebhookEntity[]>>; loadedAt: number } | null = null;

  constructor(
    private readonly db: Database,
    private readonly destinations: DestinationService,
    private readonly publishSystemEvent: SystemEventPublisher,
    private readonly signals: Signals,
  ) {}

  /**
   * A webhook takes its destination's tenant; a `tenantId` the caller names must be the
   * same one, so no webhook can carry one tenant's events to another tenant's endpoint.
   */
  async create(input: WebhookInput, scope: Scope, tenantId: string | null = null): Promise<WebhookEntity> {
    const name = validateName(input.name);
    if (!input.destinationId) throw new UserError(['destinationId'], 'is required', 'INVALID');
    const destination = await this.destinations.require(input.destinationId, scope, 'destinationId');
    assertSameTenant(destination.tenantId, tenantId ?? destination.tenantId);
    await this.assertNameFree(name, destination.tenantId);
    const now = new Date();
    const webhook = this.db.manager.create(WebhookEntity, {
      id: newId('webhook'),
      tenantId: destination.tenantId,
      name,
      destinationId: input.destinationId,
      eventTypes: validateEventTypePatterns(input.eventTypes ?? []),
      filter: input.filter == null ? null : validateFilter(input.filter),
      includeEntity: input.includeEntity ?? true,
      fieldMapping: validateFieldMapping(input.fieldMapping ?? []),
      syncMode: input.syncMode ?? null,
      payloadFormat: input.payloadFormat ?? 'HOOKGRAPH',
      enabled: input.enabled ?? true,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await this.db.manager.insert(WebhookEntity, webhook as QueryDeepPartialEntity<WebhookEntity>);
    this.enabledCache = null;
    await this.publishSystemEvent(
      WEBHOOK_CREATED,
      webhook.id,
      { webhookId: webhook.id, name: webhook.name, destinationId: webhook.destinationId, eventTypes: webhook.eventTypes },
      webhook.tenantId,
    );
    return webhook;
  }

  async update(id: string, input: WebhookInput, scope: Scope): Promise<WebhookEntity> {
    const webhook = await this.require(id, scope);
    if (input.name != null) {
      const name = validateName(input.name);
      if (name !== webhook.name) await this.assertNameFree(name, webhook.tenantId);
      webhook.name = name;
    }
    if (input.destinationId != null) {
      const destination = await this.destinations.require(input.destinationId, scope, 'destinationId');
      assertSameTenant(destination.tenantId, webhook.tenantId);
      webhook.destinationId = input.destinationId;
    }
    if (input.eventTypes != null) webhook.eventTypes = validateEventTypePatterns(input.eventTypes);
    if (input.filter !== undefined) webhook.filter = input.filter === null ? null : validateFilter(input.filter);
    if (input.includeEntity != null) webhook.includeEntity = input.includeEntity;
    if (input.fieldMapping != null) webhook.fieldMapping = validateFieldMapping(input.fieldMapping);
    if (input.syncMode !== undefined) webhook.syncMode = input.syncMode;
    if (input.payloadFormat != null) webhook.payloadFormat = input.payloadFormat;
    if (input.enabled != null) webhook.enabled = input.enabled;
    webhook.updatedAt = new Date();
    await this.db.manager.save(WebhookEntity, webhook);
    this.enabledCache = null;
    this.signals.emit('routeChanged', 'webhook', id);
    return webhook;
  }

  /** Soft-deletes the webhook; its deliveries that have not started are cancelled. */
  async delete(id: string, scope: Scope): Promise<WebhookEntity> {
    const webhook = await this.require(id, scope);
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await tx.update(WebhookEntity, { id }, { deletedAt: now, updatedAt: now, enabled: false });
      await cancelWaiting(tx, { webhookId: id }, now, 'webhook deleted');
    });
    this.enabledCache = null;
    webhook.deletedAt = now;
    this.signals.emit('routeChanged', 'webhook', id);
    return webhook;
  }

  get(id: string): Promise<WebhookEntity | null> {
    return this.db.manager.findOneBy(WebhookEntity, { id, deletedAt: IsNull() });
  }

  getMany(ids: readonly string[]): Promise<WebhookEntity[]> {
    return this.db.manager.findBy(WebhookEntity, { id: In([...ids]) });
  }

  list(args: PageArgs & { destinationId?: string | null }, scope: Scope) {
    const query = this.db.manager.createQueryBuilder(WebhookEntity, 'w').where('w.deleted_at IS NULL');
    if (scope.tenantId) query.andWhere('w.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (args.destinationId) query.andWhere('w.destination_id = :destinationId', { destinationId: args.destinationId });
    return paginate(query, args);
  }

  /** The webhook, if it exists and the scope may see it. */
  async require(id: string, scope: Scope, field = 'id'): Promise<WebhookEntity> {
    return visible(scope, await this.get(id), field, 'webhook', id);
  }

  /**
   * The enabled webhooks of a tenant, for fan-out. Cached per process (grouped by tenant:
   * a publish reads only its tenant's), dropped on every change made here and after
   * ENABLED_CACHE_MS so that changes made by other processes arrive.
   */
  async enabledFor(tenantId: string): Promise<readonly WebhookEntity[]> {
    if (!this.enabledCache || this.enabledCache.loadedAt + ENABLED_CACHE_MS < Date.now()) {
      const byTenant = this.db.manager.findBy(WebhookEntity, { enabled: true, deletedAt: IsNull() }).then(groupByTenant);
      const entry = { byTenant, loadedAt: Date.now() };
      byTenant.catch(() => {
        if (this.enabledCache === entry) this.enabledCache = null;
      });
      this.enabledCache = entry;
    }
    return (await this.enabledCache.byTenant).get(tenantId) ?? [];
  }

  private async assertNameFree(name: string, tenantId: string): Promise<void> {
    const taken = await this.db.manager.existsBy(WebhookEntity, { name, tenantId, deletedAt: IsNull() });
    if (taken) throw new UserError(['name'], `a webhook named "${name}" already exists`, 'DUPLICATE_NAME');
  }
}

function groupByTenant(webhooks: WebhookEntity[]): Map<string, WebhookEntity[]> {
  const byTenant = new Map<string, WebhookEntity[]>();
  for (const webhook of webhooks) {
    const list = byTenant.get(webhook.tenantId);
    if (list) list.push(webhook);
    else byTenant.set(webhook.tenantId, [webhook]);
  }
  return byTenant;
}

function assertSameTenant(destinationTenant: string, webhookTenant: string): void {
  if (destinationTenant !== webhookTenant) {
    throw new UserError(['destinationId'], "the destination belongs to another tenant: a webhook can only point at its own tenant's destinations", 'INVALID');
  }
}

function validateFieldMapping(mapping: FieldMapping[]): FieldMapping[] {
  if (mapping.length > 100) throw new UserError(['fieldMapping'], 'at most 100 mappings', 'INVALID');
  return mapping.map((m, i) => {
    for (const side of ['from', 'to'] as const) {
      if (!PATH.test(m[side]) || m[side].split('.').some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) {
        throw new UserError(['fieldMapping', String(i), side], `"${m[side]}" is not a dotted path`, 'INVALID');
      }
    }
    return { from: m.from, to: m.to };
  });
}
