import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Database } from '../../database/database';
import type { Signals } from '../shared/signals';
import { UserError } from '../shared/user-error';
import type { BulkRetryProgress } from './bulk-retry-progress';
import { requeued, RETRYABLE, validateDeliveryFilter, type DeliveryFilter, type DeliveryService } from './delivery.service';
import { DeliveryEntity } from './delivery.entity';
import { EVERY_TENANT } from '../tenant/scope';

/** Deliveries re-queued per transaction. */
const BATCH = 500;
/** Finished jobs this process remembers, for a subscriber that comes late. */
const REMEMBERED = 100;

/**
 * Bulk retry: every FAILED or CANCELLED delivery a filter selects (status,
 * webhook, destination, event type, event, creation time range) is queued again as
 * `deliveryRetry` would, in transactions of BATCH, in the background. A dry run only
 * counts. The set is fixed when the job starts: deliveries that fail later are not
 * included. Progress is announced after each batch (the `bulkRetryProgress` signal).
 * A job lives in this process: if it stops, the batches done stay done, and the same
 * filter again finds the rest.
 */
export class BulkRetryService {
  private readonly recent = new Map<string, BulkRetryProgress>();
  private readonly running = new Set<Promise<void>>();
  private stopping = false;
  private readonly batchSize: number;

  constructor(
    private readonly db: Database,
    private readonly deliveries: DeliveryService,
    private readonly signals: Signals,
    options: { batchSize?: number } = {},
  ) {
    this.batchSize = options.batchSize ?? BATCH;
  }

  async count(filter: DeliveryFilter): Promise<number> {
    return this.matching(validate(filter)).getCount();
  }

  /** Starts a job and returns its first state; the deliveries are re-queued after this returns. */
  async start(filter: DeliveryFilter): Promise<BulkRetryProgress> {
    const valid = validate(filter);
    const { total, last } = (await this.matching(valid)
      .select('COUNT(*)', 'total')
      .addSelect('MAX(d.id)', 'last')
      .getRawOne<{ total: number | string; last: string | null }>())!;
    const progress: BulkRetryProgress = { id: randomUUID(), tenantId: valid.tenantId ?? null, total: Number(total), requeued: 0, finished: false, error: null };
    this.remember(progress);
    const job = this.run(valid, progress, last)
      .catch(() => this.announce({ ...progress, finished: true, error: 'stopped by a database error; start it again to retry the rest' }))
      .finally(() => this.running.delete(job));
    this.running.add(job);
    return { ...progress };
  }

  /** Ends the running jobs after their current batch (what they queued stays queued). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running]);
  }

  /** The latest state of a job this process runs or ran recently. */
  latest(id: string): BulkRetryProgress | undefined {
    const progress = this.recent.get(id);
    return progress && { ...progress };
  }

  private async run(filter: DeliveryFilter, progress: BulkRetryProgress, last: string | null): Promise<void> {
    let after = '';
    while (last !== null && after < last) {
      if (this.stopping) {
        this.announce({ ...progress, finished: true, error: 'stopped with its process; start it again to retry the rest' });
        return;
      }
      const batch = await this.db.transaction(async (manager) => {
        const query = this.matching(filter, manager).andWhere('d.id > :after AND d.id <= :last', { after, last }).orderBy('d.id', 'ASC').take(this.batchSize);
        const rows = await this.db.dialect.lockForUpdate(query).getMany();
        if (!rows.length) return { rows, values: null };
        const values = { ...requeued(new Date()), updatedAt: new Date() };
        await manager.update(DeliveryEntity, { id: In(rows.map((d) => d.id)), status: In(RETRYABLE) }, values);
        return { rows, values };
      });
      if (!batch.values) break;
      after = batch.rows[batch.rows.length - 1]!.id;
      const updated = batch.rows.map((d) => ({ ...d, ...batch.values }) as DeliveryEntity);
      for (const d of updated) this.signals.emit('deliveryUpdated', d, null);
      this.signals.emit('deliveriesRequeued', updated);
      progress.requeued += updated.length;
      this.announce(progress);
    }
    this.announce({ ...progress, finished: true });
  }

  /** FAILED or CANCELLED deliveries (of the filter's statuses, if any) the filter selects. */
  private matching(filter: DeliveryFilter, manager = this.db.manager) {
    // A tenant's key sets the filter's tenant to its own: the scope is the filter's.
    return this.deliveries.filtered({ ...filter, status: filter.status?.length ? filter.status : RETRYABLE }, EVERY_TENANT, manager);
  }

  private announce(progress: BulkRetryProgress): void {
    this.remember(progress);
    this.signals.emit('bulkRetryProgress', { ...progress });
  }

  private remember(progress: BulkRetryProgress): void {
    this.recent.delete(progress.id);
    this.recent.set(progress.id, { ...progress });
    if (this.recent.size > REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
  }
}

function validate(filter: DeliveryFilter): DeliveryFilter {
  const other = filter.status?.find((s) => !RETRYABLE.includes(s));
  if (other) throw new UserError(['filter', 'status'], `only FAILED and CANCELLED deliveries can be retried, not ${other}`, 'INVALID_FILTER');
  return validateDeliveryFilter(filter);
}
