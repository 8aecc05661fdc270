import type { BulkJobProgress } from '../job/bulk-job-progress';
import { FINISHED_JOB_STATUSES, type BulkJobEntity } from '../job/bulk-job.entity';
import type { BulkJobService } from '../job/bulk-job.service';
import type { Signals } from '../common/signals';
import { UserError } from '../common/user-error';
import type { BulkRetryProgress } from './bulk-retry-progress';
import { RETRYABLE, validateDeliveryFilter, type DeliveryFilter } from './delivery.service';

/** Finished jobs this process remembers, for a subscriber that comes late. */
const REMEMBERED = 100;

/**
 * Bulk retry: every FAILED or CANCELLED delivery a filter selects (status, webhook,
 * destination, event type, event, creation time range) is queued again as
 * `deliveryRetry` would, by a durable RETRY job (domain/job/): it survives its process
 * and can be cancelled. The set is fixed when the job starts: deliveries that fail later
 * are not included. A dry run only counts. The job's progress is also announced in the
 * shape `bulkRetryProgress` has always had.
 */
export class BulkRetryService {
  private readonly recent = new Map<string, BulkRetryProgress>();

  constructor(
    private readonly jobs: BulkJobService,
    private readonly signals: Signals,
  ) {
    signals.on('bulkJobProgress', (progress) => {
      if (progress.kind === 'RETRY') this.announce(retryProgressOf(progress));
    });
  }

  async count(filter: DeliveryFilter): Promise<number> {
    return (await this.jobs.retry(validate(filter), true)).matched;
  }

  /** Stores the job and returns its first state; the deliveries are queued again after this returns. */
  async start(filter: DeliveryFilter): Promise<{ progress: BulkRetryProgress; job: BulkJobEntity }> {
    const { job } = await this.jobs.retry(validate(filter), false);
    return { progress: this.latest(job!.id)!, job: job! };
  }

  /** The latest state of a job this process started, ran or heard of lately. */
  latest(id: string): BulkRetryProgress | undefined {
    const progress = this.recent.get(id);
    return progress && { ...progress };
  }

  private announce(progress: BulkRetryProgress): void {
    this.recent.delete(progress.id);
    this.recent.set(progress.id, { ...progress });
    if (this.recent.size > REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
    this.signals.emit('bulkRetryProgress', { ...progress });
  }
}

function retryProgressOf(job: BulkJobProgress): BulkRetryProgress {
  const finished = FINISHED_JOB_STATUSES.includes(job.status);
  const error = job.status === 'CANCELLED' ? 'cancelled; what it queued stays queued' : job.status === 'FAILED' ? job.error : null;
  return { id: job.id, tenantId: job.tenantId, total: job.total, requeued: job.done, finished, error };
}

function validate(filter: DeliveryFilter): DeliveryFilter {
  const other = filter.status?.find((s) => !RETRYABLE.includes(s));
  if (other) throw new UserError(['filter', 'status'], `only FAILED and CANCELLED deliveries can be retried, not ${other}`, 'INVALID_FILTER');
  return validateDeliveryFilter(filter);
}
