import { In } from 'typeorm';
import type { Database } from '../../database/database';
import type { DeliveryFilter } from '../delivery/delivery.service';
import type { DestinationService } from '../destination/destination.service';
import { newId } from '../common/ids';
import { paginate, type Page, type PageArgs } from '../common/pagination';
import type { Signals } from '../common/signals';
import { notFound, UserError } from '../common/user-error';
import { inScope, type Scope } from '../tenant/scope';
import type { WebhookService } from '../webhook/webhook.service';
import { progressOf } from './bulk-job-progress';
import { BulkJobEntity, type BulkJobKind, type BulkJobStatus } from './bulk-job.entity';
import type { JobWork } from './job-work';
import type { ReplayParams, ReplayWork } from './replay.work';
import { storeFilter, type RequeueParams, type RequeueWork } from './requeue.work';
import { storeWindow, timeWindow } from './time-window';

/** What starting a job (or its dry run) answers: how many items match, and the job (null for a dry run). */
export interface JobStart {
  matched: number;
  job: BulkJobEntity | null;
}

export interface WindowInput {
  since: Date;
  until?: Date | null;
}

const CANCELLABLE = ['QUEUED', 'RUNNING'] as const;

/**
 * Durable bulk jobs: started here (stored QUEUED, announced), run by a JobRunner in any
 * serving process, cancelled here. A job belongs to the tenant whose objects it changes,
 * and a scope sees only its tenant's.
 */
export class BulkJobService {
  constructor(
    private readonly db: Database,
    private readonly signals: Signals,
    private readonly destinations: DestinationService,
    private readonly webhooks: WebhookService,
    private readonly requeue: RequeueWork,
    private readonly replays: ReplayWork,
  ) {}

  /** The job if the scope may see it, else null (another tenant's is as absent as a missing one). */
  /** The jobs a scope may see (jobInScope), newest first; only those in `statuses` when given. */
  list(args: PageArgs, scope: Scope, statuses?: readonly BulkJobStatus[] | null): Promise<Page<BulkJobEntity>> {
    const query = this.db.manager.createQueryBuilder(BulkJobEntity, 'j');
    if (scope.tenantId) query.where('j.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (statuses?.length) query.andWhere('j.status IN (:...statuses)', { statuses });
    return paginate(query, args);
  }

  async find(id: string, scope: Scope): Promise<BulkJobEntity | null> {
    const job = await this.db.manager.findOneBy(BulkJobEntity, { id });
    return job && jobInScope(scope, job) ? job : null;
  }

  /** What runs a job of this kind. */
  workOf(kind: BulkJobKind): JobWork {
    switch (kind) {
      case 'RETRY':
      case 'RECOVER':
        return this.requeue;
      case 'REPLAY':
        return this.replays;
    }
  }

  /** RETRY: queues again every FAILED or CANCELLED delivery a (validated) filter selects. */
  async retry(filter: DeliveryFilter, dryRun: boolean): Promise<JobStart> {
    const { total, last } = await this.requeue.measure(filter);
    if (dryRun) return { matched: total, job: null };
    const params: RequeueParams = { filter: storeFilter(filter), last };
    return { matched: total, job: await this.enqueue('RETRY', filter.tenantId ?? null, params, total) };
  }

  /** RECOVER: queues again the destination's FAILED deliveries created in the window: what an endpoint missed while it was down. */
  async recover(destinationId: string, input: WindowInput, scope: Scope, dryRun: boolean): Promise<JobStart> {
    const destination = await this.destinations.require(destinationId, scope);
    const window = timeWindow(input.since, input.until);
    const filter: DeliveryFilter = {
      tenantId: destination.tenantId,
      destinationId: destination.id,
      status: ['FAILED'],
      createdAfter: window.since,
      createdBefore: window.until,
    };
    const { total, last } = await this.requeue.measure(filter);
    if (dryRun) return { matched: total, job: null };
    const params: RequeueParams = { filter: storeFilter(filter), last };
    return { matched: total, job: await this.enqueue('RECOVER', destination.tenantId, params, total) };
  }

  /** REPLAY: the window's events the webhook wants, as new deliveries to it. */
  async replay(webhookId: string, input: WindowInput, scope: Scope, dryRun: boolean): Promise<JobStart> {
    const webhook = await this.webhooks.require(webhookId, scope);
    if (!webhook.enabled) throw new UserError(['id'], 'the webhook is disabled: enable it to replay events to it', 'INVALID_STATE');
    const window = timeWindow(input.since, input.until);
    const { total, last } = await this.replays.measure(webhook, window);
    if (dryRun) return { matched: total, job: null };
    const params: ReplayParams = { webhookId: webhook.id, window: storeWindow(window), last };
    return { matched: total, job: await this.enqueue('REPLAY', webhook.tenantId, params, total) };
  }

  /** Stops a QUEUED or RUNNING job: its runner ends after the batch in progress; what it did stays done. */
  async cancel(id: string, scope: Scope): Promise<BulkJobEntity> {
    const job = await this.find(id, scope);
    if (!job) throw notFound('id', 'bulk job', id);
    const now = new Date();
    const values = { status: 'CANCELLED' as const, leaseOwner: null, leaseExpiresAt: null, updatedAt: now };
    // In a transaction: on SQLite it waits for a batch in progress instead of joining it.
    const { affected, current } = await this.db.transaction(async (manager) => {
      const result = await manager.update(BulkJobEntity, { id, status: In([...CANCELLABLE]) }, values);
      return { affected: result.affected, current: (await manager.findOneBy(BulkJobEntity, { id })) ?? job };
    });
    if (!affected) throw new UserError(['id'], `the job is ${current.status}; only a QUEUED or RUNNING job can be cancelled`, 'INVALID_STATE');
    this.signals.emit('bulkJobProgress', progressOf(current));
    return current;
  }

  private async enqueue(kind: BulkJobKind, tenantId: string | null, params: RequeueParams | ReplayParams, total: number): Promise<BulkJobEntity> {
    const now = new Date();
    const job: BulkJobEntity = {
      id: newId('bulkJob'),
      tenantId,
      kind,
      params,
      status: 'QUEUED',
      total,
      done: 0,
      cursor: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.db.transaction((manager) => manager.insert(BulkJobEntity, job));
    this.signals.emit('bulkJobProgress', progressOf(job));
    this.signals.emit('bulkJobQueued', job.id);
    return job;
  }
}

/** Whether a scope may see a job (one of the whole installation only a key of the whole installation). */
export function jobInScope(scope: Scope, job: { tenantId: string | null }): boolean {
  return job.tenantId === null ? scope.tenantId === null : inScope(scope, job.tenantId);
}
