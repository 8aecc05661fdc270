import type { EntityManager } from 'typeorm';
import type { BulkJobEntity } from './bulk-job.entity';

/** One batch a job did, inside the transaction that also moves its cursor. */
export interface JobBatch {
  /** Items this batch counts toward `done`. */
  done: number;
  /** The last key it examined: the next batch starts after it. */
  cursor: string;
  /** Announces what the batch changed; called only after its transaction committed. */
  announce(): void;
}

/** What one kind of job does, a batch at a time, in order of one key. */
export interface JobWork {
  /** The next batch after `job.cursor`, in `manager`'s transaction; null when nothing is left. */
  batch(job: BulkJobEntity, manager: EntityManager, size: number): Promise<JobBatch | null>;
}
