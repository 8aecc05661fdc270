import { In, type EntityManager } from 'typeorm';
import type { Database } from '../../database/database';
import type { DeliveryFilter, DeliveryService } from '../delivery/delivery.service';
import { requeued, RETRYABLE } from '../delivery/delivery.service';
import { DeliveryEntity } from '../delivery/delivery.entity';
import type { Signals } from '../common/signals';
import { EVERY_TENANT } from '../tenant/scope';
import type { BulkJobEntity } from './bulk-job.entity';
import type { JobBatch, JobWork } from './job-work';

/** A delivery filter as job params store it: times as epoch milliseconds. */
export type StoredDeliveryFilter = Omit<DeliveryFilter, 'createdAfter' | 'createdBefore'> & { createdAfter?: number | null; createdBefore?: number | null };

/** The params of RETRY and RECOVER jobs: which deliveries, and the last id that matched at the start. */
export interface RequeueParams {
  filter: StoredDeliveryFilter;
  /** Deliveries after it were created after the job started, and are not its. */
  last: string | null;
}

export function storeFilter(filter: DeliveryFilter): StoredDeliveryFilter {
  return { ...filter, createdAfter: filter.createdAfter?.getTime() ?? null, createdBefore: filter.createdBefore?.getTime() ?? null };
}

function loadFilter(filter: StoredDeliveryFilter): DeliveryFilter {
  const at = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));
  return { ...filter, createdAfter: at(filter.createdAfter), createdBefore: at(filter.createdBefore) };
}

/**
 * RETRY and RECOVER: every FAILED or CANCELLED delivery (of the filter's statuses) the
 * filter selects is queued again, as `deliveryRetry` would. A delivery that changed state
 * meanwhile (retried alone, say) no longer matches and is skipped.
 */
export class RequeueWork implements JobWork {
  constructor(
    private readonly db: Database,
    private readonly deliveries: DeliveryService,
    private readonly signals: Signals,
  ) {}

  /** How many deliveries the filter selects now, and the last of them. */
  async measure(filter: DeliveryFilter): Promise<{ total: number; last: string | null }> {
    const { total, last } = (await this.matching(filter)
      .select('COUNT(*)', 'total')
      .addSelect('MAX(d.id)', 'last')
      .getRawOne<{ total: number | string; last: string | null }>())!;
    return { total: Number(total), last };
  }

  async batch(job: BulkJobEntity, manager: EntityManager, size: number): Promise<JobBatch | null> {
    const { filter, last } = job.params as RequeueParams;
    if (last === null) return null;
    const query = this.matching(loadFilter(filter), manager)
      .andWhere('d.id > :after AND d.id <= :last', { after: job.cursor ?? '', last })
      .orderBy('d.id', 'ASC')
      .take(size);
    const rows = await this.db.dialect.lockForUpdate(query).getMany();
    if (!rows.length) return null;
    const values = { ...requeued(new Date()), updatedAt: new Date() };
    await manager.update(DeliveryEntity, { id: In(rows.map((d) => d.id)), status: In(RETRYABLE) }, values);
    // Locked since they were read: the UPDATE is each row's next change.
    const updated = rows.map((d) => ({ ...d, ...values, version: d.version + 1 }) as DeliveryEntity);
    return {
      done: updated.length,
      cursor: rows[rows.length - 1]!.id,
      announce: () => {
        for (const d of updated) this.signals.emit('deliveryUpdated', d, null);
        this.signals.emit('deliveriesRequeued', updated);
      },
    };
  }

  /** FAILED or CANCELLED deliveries (of the filter's statuses, if any) the filter selects. */
  private matching(filter: DeliveryFilter, manager = this.db.manager) {
    // The job's tenant is the filter's (a tenant's key sets it to its own).
    return this.deliveries.filtered({ ...filter, status: filter.status?.length ? filter.status : RETRYABLE }, EVERY_TENANT, manager);
  }
}
