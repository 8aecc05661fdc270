import { In } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { Database } from '../../database/database';
import { DeliveryEntity } from '../delivery/delivery.entity';
import { EventLoopShare } from '../common/event-loop-share';
import { newId } from '../common/ids';
import { paginate, type PageArgs } from '../common/pagination';
import type { Signals } from '../common/signals';
import { UserError } from '../common/user-error';
import type { Scope } from '../tenant/scope';
import { DEFAULT_TENANT_ID } from '../tenant/tenant.entity';
import { readPath } from '../webhook/filter';
import type { WebhookEntity } from '../webhook/webhook.entity';
import { EventEntity, type EventSource, type SyncMode, type SyncOp } from './event.entity';
import { validateData, validateEntityId, validateEntityUrl, validateKey, validatePublishedType } from './event.validation';
import { fanOut } from './fan-out';
import type { HandOffTaker } from './hand-off';
import { refuseConflictingReplay } from './idempotency';
import { EventStore } from './store-events';

export interface EventInput {
  /** The tenant it is published for (resolved from the caller's uid); the default tenant when absent. */
  tenantId?: string;
  type: string;
  entityId?: string | null;
  entityUrl?: string | null;
  data?: unknown;
  idempotencyKey?: string | null;
  orderingKey?: string | null;
  occurredAt?: Date | null;
  /** The W3C traceparent the publish's attempts continue (observability/tracing.ts). */
  traceParent?: string | null;
}

export interface BatchInput {
  tenantId?: string;
  /** The traceparent every row's attempts continue. */
  traceParent?: string | null;
  type: string;
  syncMode: SyncMode;
  rows: unknown[];
  /** Dotted path in each row that holds the entity id; default `id`. */
  entityIdField?: string | null;
  /** The sync run the rows belong to: numbered from `firstRow`, with their own operation if any. */
  run?: { id: string; firstRow: number; syncOp: SyncOp | null } | null;
}

export interface Published {
  event: EventEntity;
  deliveries: DeliveryEntity[];
  /** True when an earlier publish with the same idempotency key is being returned. */
  replayed: boolean;
}

export const MAX_BATCH_ROWS = 1000;
/** How many of the latest events recentTypes looks at. */
export const RECENT_EVENTS = 1000;

/** The webhooks fan-out may route to; WebhookService in production. */
export interface WebhookSource {
  /** The enabled webhooks of one tenant: an event reaches only its own tenant's endpoints. */
  enabledFor(tenantId: string): Promise<readonly WebhookEntity[]>;
}

export class EventService {
  private readonly store: EventStore;
  private taker: HandOffTaker | null = null;

  constructor(
    private readonly db: Database,
    private readonly webhooks: WebhookSource,
    private readonly signals: Signals,
  ) {
    this.store = new EventStore(db);
  }

  /** Stores the event and its deliveries atomically (the outbox), then announces them. */
  async publish(input: EventInput, source: EventSource = 'API'): Promise<Published> {
    const event = this.toEvent(input, source, null, null);
    if (event.idempotencyKey) {
      const earlier = await this.replay(this.db.manager, event);
      if (earlier) return earlier;
    }
    const webhooks = await this.webhooks.enabledFor(event.tenantId);
    const created = await fanOut(event, webhooks, event.createdAt);
    let deliveries: DeliveryEntity[];
    try {
      deliveries = await this.write([event], created);
    } catch (error) {
      // Two publishers raced with one key: the loser returns the winner's event.
      const earlier = event.idempotencyKey ? await this.replay(this.db.manager, event) : null;
      if (earlier) return earlier;
      throw error;
    }
    return { event, deliveries, replayed: false };
  }

  /**
   * Publishes each as publish() would, concurrently, so the store commits them in groups;
   * one refused (its UserError, its field path under `events.<index>`) does not stop the
   * others.
   */
  async publishEach(inputs: EventInput[]): Promise<(Published | UserError)[]> {
    if (inputs.length === 0 || inputs.length > MAX_BATCH_ROWS) {
      throw new UserError(['events'], `must hold 1 to ${MAX_BATCH_ROWS} events`, 'OUT_OF_RANGE');
    }
    return Promise.all(
      inputs.map((input, i) =>
        this.publish(input).catch((error: unknown) => {
          if (!(error instanceof UserError)) throw error;
          return new UserError(['events', String(i), ...(error.field ?? [])], error.message, error.code);
        }),
      ),
    );
  }

  /** A data sync's rows: one event each, numbered from 1, carrying the batch's sync mode. */
  async publishBatch(input: BatchInput): Promise<{ events: EventEntity[]; deliveries: DeliveryEntity[] }> {
    validatePublishedType(input.type, 'API');
    if (input.rows.length === 0 || input.rows.length > MAX_BATCH_ROWS) {
      throw new UserError(['rows'], `must hold 1 to ${MAX_BATCH_ROWS} rows`, 'OUT_OF_RANGE');
    }
    const idField = input.entityIdField ?? 'id';
    const events = input.rows.map((row, i) => {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        throw new UserError(['rows', String(i)], 'each row must be a JSON object', 'INVALID');
      }
      const entityId = readPath(row, idField);
      const rowInput = {
        tenantId: input.tenantId,
        type: input.type,
        data: row,
        entityId: entityId == null ? null : String(entityId),
        traceParent: input.traceParent,
      };
      const event = this.toEvent(rowInput, 'API', (input.run?.firstRow ?? 1) + i, input.syncMode, ['rows', String(i)]);
      return input.run ? { ...event, runId: input.run.id, syncOp: input.run.syncOp } : event;
    });
    return { events, deliveries: await this.storeTogether(events, input.tenantId ?? DEFAULT_TENANT_ID) };
  }

  /** Events of one tenant from one request (a listener's records), stored together. */
  async publishMany(tenantId: string, inputs: Omit<EventInput, 'tenantId'>[], source: EventSource): Promise<EventEntity[]> {
    const events = inputs.map((input, i) => this.toEvent({ ...input, tenantId }, source, null, null, [String(i)]));
    await this.storeTogether(events, tenantId);
    return events;
  }

  private async storeTogether(events: EventEntity[], tenantId: string): Promise<DeliveryEntity[]> {
    const webhooks = await this.webhooks.enabledFor(tenantId);
    const share = new EventLoopShare();
    const created: DeliveryEntity[] = [];
    for (const event of events) created.push(...(await fanOut(event, webhooks, event.createdAt, share)));
    return this.write(events, created);
  }

  /** New deliveries are offered to this dispatcher first (see hand-off.ts) until the returned function is called. */
  handOffTo(taker: HandOffTaker): () => void {
    this.taker = taker;
    return () => {
      if (this.taker === taker) this.taker = null;
    };
  }

  get(id: string): Promise<EventEntity | null> {
    return this.db.manager.findOneBy(EventEntity, { id });
  }

  getMany(ids: readonly string[]): Promise<EventEntity[]> {
    return this.db.manager.findBy(EventEntity, { id: In([...ids]) });
  }

  /**
   * The distinct types of the latest RECENT_EVENTS events in the scope, sorted: what a
   * webhook of the tenant could subscribe to. Bounded: it reads that many rows at most,
   * newest first through (tenant_id, id).
   */
  async recentTypes(scope: Scope): Promise<string[]> {
    const query = this.db.manager.createQueryBuilder(EventEntity, 'e').select('e.type', 'type').orderBy('e.id', 'DESC').limit(RECENT_EVENTS);
    if (scope.tenantId) query.andWhere('e.tenant_id = :tenantId', { tenantId: scope.tenantId });
    const rows = await query.getRawMany<{ type: string }>();
    return [...new Set(rows.map((r) => r.type))].sort();
  }

  list(args: PageArgs & { type?: string[] | null }, scope: Scope) {
    const query = this.db.manager.createQueryBuilder(EventEntity, 'e');
    if (scope.tenantId) query.andWhere('e.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (args.type?.length) query.andWhere('e.type IN (:...types)', { types: args.type });
    return paginate(query, args);
  }

  /**
   * Stores the events and their deliveries atomically (the outbox), those the local
   * dispatcher takes already leased to it, then announces them. Returns the deliveries
   * as written.
   */
  private async write(events: EventEntity[], created: DeliveryEntity[]): Promise<DeliveryEntity[]> {
    const handOff = created.length ? (this.taker?.reserve(created) ?? null) : null;
    const deliveries = handOff ? created.map((d) => handOff.taken.get(d.id) ?? d) : created;
    try {
      await this.store.store(events, deliveries);
    } catch (error) {
      handOff?.abort();
      throw error;
    }
    handOff?.commit(events);
    this.announce(events, deliveries);
    return deliveries;
  }

  private announce(events: EventEntity[], deliveries: DeliveryEntity[]): void {
    for (const event of events) this.signals.emit('eventPublished', event);
    if (deliveries.length) this.signals.emit('deliveriesCreated', deliveries, events);
  }

  /** The event that first used this one's idempotency key, when this one repeats it exactly. */
  private async replay(manager: EntityManager, again: EventEntity): Promise<Published | null> {
    const event = await manager.findOneBy(EventEntity, { tenantId: again.tenantId, idempotencyKey: again.idempotencyKey! });
    if (!event) return null;
    refuseConflictingReplay(event, again);
    const deliveries = await manager.find(DeliveryEntity, { where: { eventId: event.id }, order: { id: 'ASC' } });
    return { event, deliveries, replayed: true };
  }

  private toEvent(input: EventInput, source: EventSource, rowNumber: number | null, syncMode: SyncMode | null, at: string[] = []): EventEntity {
    validatePublishedType(input.type, source);
    const data = input.data ?? {};
    validateData(data, [...at, 'data']);
    validateEntityId(input.entityId, [...at, 'entityId']);
    validateEntityUrl(input.entityUrl, [...at, 'entityUrl']);
    validateKey(input.idempotencyKey, [...at, 'idempotencyKey']);
    validateKey(input.orderingKey, [...at, 'orderingKey']);
    const now = new Date();
    return {
      id: newId('event'),
      tenantId: input.tenantId ?? DEFAULT_TENANT_ID,
      type: input.type,
      entityId: input.entityId ?? null,
      entityUrl: input.entityUrl ?? null,
      data,
      idempotencyKey: input.idempotencyKey || null,
      orderingKey: input.orderingKey || null,
      source,
      rowNumber,
      syncMode,
      occurredAt: input.occurredAt ?? now,
      createdAt: now,
      traceParent: input.traceParent ?? null,
      syncOp: null,
      runId: null,
    };
  }
}
