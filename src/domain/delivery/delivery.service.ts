import { In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { Database } from '../../database/database';
import { isIdOf } from '../common/ids';
import { paginate, type PageArgs } from '../common/pagination';
import type { Signals } from '../common/signals';
import { UserError } from '../common/user-error';
import { visible, type Scope } from '../tenant/scope';
import { rebuildRequestBodies, type RecipeAttempt } from './attempt-bodies';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { statusConditions } from './delivery-status-filter';
import { DeliveryEntity, TERMINAL_STATUSES, type DeliveryStatus, type DeliveryTrigger } from './delivery.entity';

export interface DeliveryFilter {
  /** One tenant's deliveries (the id its uid resolved to). */
  tenantId?: string | null;
  status?: DeliveryStatus[] | null;
  webhookId?: string | null;
  destinationId?: string | null;
  eventType?: string[] | null;
  eventId?: string | null;
  /** Rows of this sync run. */
  runId?: string | null;
  /** Created at or after this time. */
  createdAfter?: Date | null;
  /** Created before this time. */
  createdBefore?: Date | null;
}

const CANCELLABLE: DeliveryStatus[] = ['PENDING', 'RETRY_SCHEDULED', 'IN_FLIGHT'];
export const RETRYABLE: DeliveryStatus[] = ['FAILED', 'CANCELLED'];

/** A delivery that keeps changing under an operator's action (claimed, due time moved) is refused after this many reads. */
const TRANSITION_TRIES = 5;

/** A finished delivery queued again by an operator, due now (its round starts at the claim). */
export function requeued(now: Date, trigger: DeliveryTrigger = 'MANUAL_RETRY'): Partial<DeliveryEntity> {
  return { status: 'PENDING', trigger, dueAt: now, completedAt: null };
}

export class DeliveryService {
  constructor(
    private readonly db: Database,
    private readonly signals: Signals,
  ) {}

  get(id: string): Promise<DeliveryEntity | null> {
    return this.db.manager.findOneBy(DeliveryEntity, { id });
  }

  list(args: PageArgs & { filter?: DeliveryFilter | null }, scope: Scope) {
    return paginate(this.filtered(validateDeliveryFilter(args.filter ?? {}), scope), args);
  }

  /**
   * The deliveries a (validated) filter selects within a scope, unordered and unpaged (in
   * `manager`'s transaction, if given). A tenant's come through (tenant_id, id).
   */
  filtered(filter: DeliveryFilter, scope: Scope, manager: EntityManager = this.db.manager): SelectQueryBuilder<DeliveryEntity> {
    const query = manager.createQueryBuilder(DeliveryEntity, 'd');
    if (scope.tenantId) query.andWhere('d.tenant_id = :scopeTenant', { scopeTenant: scope.tenantId });
    if (filter.tenantId) query.andWhere('d.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.status?.length) {
      for (const condition of statusConditions(this.db.dialect, filter.status)) query.andWhere(condition, { status: filter.status });
    }
    if (filter.webhookId) query.andWhere('d.webhook_id = :webhookId', { webhookId: filter.webhookId });
    if (filter.destinationId) query.andWhere('d.destination_id = :destinationId', { destinationId: filter.destinationId });
    if (filter.eventType?.length) query.andWhere('d.event_type IN (:...eventType)', { eventType: filter.eventType });
    if (filter.eventId) query.andWhere('d.event_id = :eventId', { eventId: filter.eventId });
    if (filter.runId) query.andWhere('d.event_id IN (SELECT e.id FROM events e WHERE e.run_id = :runId)', { runId: filter.runId });
    if (filter.createdAfter) query.andWhere('d.created_at >= :createdAfter', { createdAfter: filter.createdAfter.getTime() });
    if (filter.createdBefore) query.andWhere('d.created_at < :createdBefore', { createdBefore: filter.createdBefore.getTime() });
    return query;
  }

  /** Attempts as stored: a body kept as a recipe is null (`requestBodies` rebuilds it). */
  attempts(deliveryId: string, args: PageArgs) {
    const query = this.db.manager.createQueryBuilder(DeliveryAttemptEntity, 'a').where('a.delivery_id = :deliveryId', { deliveryId });
    return paginate(query, args);
  }

  attemptsOf(deliveryIds: readonly string[]): Promise<DeliveryAttemptEntity[]> {
    return this.db.manager.find(DeliveryAttemptEntity, { where: { deliveryId: In([...deliveryIds]) }, order: { id: 'DESC' } });
  }

  getAttempt(id: string): Promise<DeliveryAttemptEntity | null> {
    return this.db.manager.findOneBy(DeliveryAttemptEntity, { id });
  }

  /** The request bodies of attempts stored as a recipe, in their order (attempt-bodies.ts). */
  requestBodies(attempts: readonly RecipeAttempt[]): Promise<(string | null)[]> {
    return rebuildRequestBodies(this.db.manager, attempts);
  }

  /** Stops a delivery that has not finished. An attempt already on the wire completes but changes nothing. */
  cancel(id: string, scope: Scope): Promise<DeliveryEntity> {
    return this.transition(id, scope, CANCELLABLE, (now) => ({
      status: 'CANCELLED',
      dueAt: null,
      leaseOwner: null,
      lastError: 'cancelled by an operator',
      completedAt: now,
    }));
  }

  /** Queues a FAILED or CANCELLED delivery again, now. */
  async retry(id: string, scope: Scope): Promise<DeliveryEntity> {
    const delivery = await this.transition(id, scope, RETRYABLE, requeued);
    this.signals.emit('deliveriesRequeued', [delivery]);
    return delivery;
  }

  /**
   * Sends a finished delivery again, SUCCEEDED included: the same delivery goes back to
   * PENDING for a new round of attempts (numbering goes on, the webhook-id is still its
   * event's id), so its history stays in one place.
   */
  async resend(id: string, scope: Scope): Promise<DeliveryEntity> {
    const delivery = await this.transition(id, scope, [...TERMINAL_STATUSES], (now) => requeued(now, 'RESEND'));
    this.signals.emit('deliveriesRequeued', [delivery]);
    return delivery;
  }

  /**
   * Writes `change` if the delivery is in one of `from`. The UPDATE names the version it
   * read, so the announced change carries the version it made (ORM updates add one);
   * when something else changed the row in between (a claim, a due time moved), it reads
   * the row again and retries while the status still allows the change.
   */
  private async transition(id: string, scope: Scope, from: DeliveryStatus[], change: (now: Date) => Partial<DeliveryEntity>): Promise<DeliveryEntity> {
    let delivery = visible(scope, await this.get(id), 'id', 'delivery', id);
    for (let tries = 0; ; tries++) {
      if (!from.includes(delivery.status)) {
        throw new UserError(['id'], `delivery is ${delivery.status}; this needs one of ${from.join(', ')}`, 'INVALID_STATE');
      }
      if (tries === TRANSITION_TRIES) throw new UserError(['id'], 'the delivery kept changing meanwhile; try again', 'INVALID_STATE');
      const now = new Date();
      const values = { ...change(now), updatedAt: now };
      const result = await this.db.manager.update(DeliveryEntity, { id, status: In(from), version: delivery.version }, values);
      if (result.affected) {
        const updated = { ...delivery, ...values, version: delivery.version + 1 } as DeliveryEntity;
        this.signals.emit('deliveryUpdated', updated, null);
        return updated;
      }
      delivery = (await this.get(id)) ?? delivery;
    }
  }
}

export function validateDeliveryFilter(filter: DeliveryFilter): DeliveryFilter {
  const ids: [keyof DeliveryFilter, 'webhook' | 'destination' | 'event' | 'syncRun'][] = [
    ['webhookId', 'webhook'],
    ['destinationId', 'destination'],
    ['eventId', 'event'],
    ['runId', 'syncRun'],
  ];
  for (const [field, kind] of ids) {
    const value = filter[field] as string | null | undefined;
    if (value && !isIdOf(kind, value)) throw new UserError(['filter', field], `"${value}" is not a ${kind} id`, 'INVALID_FILTER');
  }
  if (filter.createdAfter && filter.createdBefore && filter.createdAfter >= filter.createdBefore) {
    throw new UserError(['filter', 'createdBefore'], 'createdBefore must be later than createdAfter', 'INVALID_FILTER');
  }
  return filter;
}
