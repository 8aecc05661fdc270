import { IsNull, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Database } from '../../database/database';
import { cancelWaiting } from '../delivery/waiting';
import type { DestinationService } from '../destination/destination.service';
import { validateName } from '../destination/destination.validation';
import type { SyncMode } from '../event/event.entity';
import { WEBHOOK_CREATED } from '../event/system-event-types';
import { newId } from '../shared/ids';
import { paginate, type PageArgs } from '../shared/pagination';
import { UserError, notFound } from '../shared/user-error';
import { validateEventTypePatterns } from './event-type-pattern';
import { validateFilter } from './filter';
import { WebhookEntity, type FieldMapping } from './webhook.entity';

export interface WebhookInput {
  name?: string | null;
  destinationId?: string | null;
  eventTypes?: string[] | null;
  filter?: unknown;
  includeEntity?: boolean | null;
  fieldMapping?: FieldMapping[] | null;
  syncMode?: SyncMode | null;
  enabled?: boolean | null;
}

/** Publishes a system event (webhook.created, …) after the change has been stored. */
export type SystemEventPublisher = (type: string, entityId: string, data: Record<string, unknown>) => Promise<void>;

const ENABLED_CACHE_MS = 1000;
const PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

export class WebhookService {
  /** Enabled webhooks, reloaded only after a change: fan-out reads this on every publish. */
  private enabledCache: { rows: Promise<WebhookEntity[]>; loadedAt: number } | null = null;

  constructor(
    private readonly db: Database,
    private readonly destinations: DestinationService,
    private readonly publishSystemEvent: SystemEventPublisher,
  ) {}

  async create(input: WebhookInput): Promise<WebhookEntity> {
    const name = validateName(input.name);
    await this.assertNameFree(name);
    if (!input.destinationId) throw new UserError(['destinationId'], 'is required', 'INVALID');
    await this.destinations.require(input.destinationId, 'destinationId');
    const now = new Date();
    const webhook = this.db.manager.create(WebhookEntity, {
      id: newId('webhook'),
      name,
      destinationId: input.destinationId,
      eventTypes: validateEventTypePatterns(input.eventTypes ?? []),
      filter: input.filter == null ? null : validateFilter(input.filter),
      includeEntity: input.includeEntity ?? true,
      fieldMapping: validateFieldMapping(input.fieldMapping ?? []),
      syncMode: input.syncMode ?? null,
      enabled: input.enabled ?? true,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await this.db.manager.insert(WebhookEntity, webhook as QueryDeepPartialEntity<WebhookEntity>);
    this.enabledCache = null;
    await this.publishSystemEvent(WEBHOOK_CREATED, webhook.id, {
      webhookId: webhook.id,
      name: webhook.name,
      destinationId: webhook.destinationId,
      eventTypes: webhook.eventTypes,
    });
    return webhook;
  }

  async update(id: string, input: WebhookInput): Promise<WebhookEntity> {
    const webhook = await this.require(id);
    if (input.name != null) {
      const name = validateName(input.name);
      if (name !== webhook.name) await this.assertNameFree(name);
      webhook.name = name;
    }
    if (input.destinationId != null) {
      await this.destinations.require(input.destinationId, 'destinationId');
      webhook.destinationId = input.destinationId;
    }
    if (input.eventTypes != null) webhook.eventTypes = validateEventTypePatterns(input.eventTypes);
    if (input.filter !== undefined) webhook.filter = input.filter === null ? null : validateFilter(input.filter);
    if (input.includeEntity != null) webhook.includeEntity = input.includeEntity;
    if (input.fieldMapping != null) webhook.fieldMapping = validateFieldMapping(input.fieldMapping);
    if (input.syncMode !== undefined) webhook.syncMode = input.syncMode;
    if (input.enabled != null) webhook.enabled = input.enabled;
    webhook.updatedAt = new Date();
    await this.db.manager.save(WebhookEntity, webhook);
    this.enabledCache = null;
    return webhook;
  }

  /** Soft-deletes the webhook; its deliveries that have not started are cancelled. */
  async delete(id: string): Promise<WebhookEntity> {
    const webhook = await this.require(id);
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await tx.update(WebhookEntity, { id }, { deletedAt: now, updatedAt: now, enabled: false });
      await cancelWaiting(tx, { webhookId: id }, now, 'webhook deleted');
    });
    this.enabledCache = null;
    webhook.deletedAt = now;
    return webhook;
  }

  get(id: string): Promise<WebhookEntity | null> {
    return this.db.manager.findOneBy(WebhookEntity, { id, deletedAt: IsNull() });
  }

  getMany(ids: readonly string[]): Promise<WebhookEntity[]> {
    return this.db.manager.findBy(WebhookEntity, { id: In([...ids]) });
  }

  list(args: PageArgs & { destinationId?: string | null }) {
    const query = this.db.manager.createQueryBuilder(WebhookEntity, 'w').where('w.deleted_at IS NULL');
    if (args.destinationId) query.andWhere('w.destination_id = :destinationId', { destinationId: args.destinationId });
    return paginate(query, args);
  }

  async require(id: string, field = 'id'): Promise<WebhookEntity> {
    const webhook = await this.get(id);
    if (!webhook) throw notFound(field, 'webhook', id);
    return webhook;
  }

  /**
   * Enabled webhooks for fan-out. Cached per process, dropped on every change made here
   * and after ENABLED_CACHE_MS so that changes made by other processes arrive.
   */
  enabled(): Promise<WebhookEntity[]> {
    if (!this.enabledCache || this.enabledCache.loadedAt + ENABLED_CACHE_MS < Date.now()) {
      const rows = this.db.manager.findBy(WebhookEntity, { enabled: true, deletedAt: IsNull() });
      const entry = { rows, loadedAt: Date.now() };
      rows.catch(() => {
        if (this.enabledCache === entry) this.enabledCache = null;
      });
      this.enabledCache = entry;
    }
    return this.enabledCache.rows;
  }

  private async assertNameFree(name: string): Promise<void> {
    const taken = await this.db.manager.existsBy(WebhookEntity, { name, deletedAt: IsNull() });
    if (taken) throw new UserError(['name'], `a webhook named "${name}" already exists`, 'DUPLICATE_NAME');
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
