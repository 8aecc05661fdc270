import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import type { JobsConfig } from '../../config';
import type { Database } from '../../database/database';
import { coerceError, retryOnDeadlock } from '../../dispatch/errors';
import type { Logger } from '../../logger';
import type { Signals } from '../common/signals';
import { progressOf } from './bulk-job-progress';
import type { BulkJobEntity, BulkJobStatus } from './bulk-job.entity';
import type { BulkJobService } from './bulk-job.service';
import { advanceJob, claimJob, holdJob, settleJob } from './job-lease';
import type { JobBatch, JobWork } from './job-work';

/**
 * IDLE: waiting for a wake-up (a job queued here, or the poll).
 * WORKING: claiming jobs and running them one after another until none is left.
 * STOPPED: stop() was called; the job in hand gives its lease back after its batch.
 */
type RunnerState = 'IDLE' | 'WORKING' | 'STOPPED';

/** How a batch's transaction ended. */
type Step = { kind: 'BATCH'; batch: JobBatch } | { kind: 'FINISHED' } | { kind: 'LOST' };

/**
 * Runs bulk jobs in this process, one at a time, a batch per transaction. Every serving
 * process has one: it claims QUEUED jobs and RUNNING ones whose lease expired (their
 * runner died), so a job started anywhere finishes somewhere. Each batch renews the
 * lease, does its work and moves the cursor in one transaction: what committed is done
 * once, what did not is done by whoever resumes the job.
 */
export class JobRunner {
  private state: RunnerState = 'IDLE';
  private again = false;
  private working: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly pause = new AbortController();
  /** Who holds a lease: unique per runner, readable in the table. */
  readonly owner = `${hostname().slice(0, 20)}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly db: Database,
    private readonly signals: Signals,
    private readonly jobs: BulkJobService,
    private readonly log: Logger,
    private readonly config: JobsConfig,
  ) {}

  start(): void {
    this.unsubscribe = this.signals.on('bulkJobQueued', () => this.wake());
    this.timer = setInterval(() => this.wake(), this.config.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Ends after the current batch; a job in hand goes back to QUEUED for any process to resume. */
  async stop(): Promise<void> {
    this.state = 'STOPPED';
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.pause.abort();
    await this.working;
  }

  /** Looks for jobs now, or once more after the current look. */
  private wake(): void {
    if (this.state === 'STOPPED') return;
    if (this.state === 'WORKING') {
      this.again = true;
      return;
    }
    this.state = 'WORKING';
    this.working = this.drain()
      .catch((error: unknown) => this.log.warn({ err: coerceError(error) }, 'looking for bulk jobs failed; the next look tries again'))
      .finally(() => {
        if (this.state === 'WORKING') this.state = 'IDLE';
      });
  }

  private async drain(): Promise<void> {
    while (this.state === 'WORKING') {
      this.again = false;
      const job = await claimJob(this.db, this.owner, Date.now(), this.config.leaseMs);
      if (job) await this.run(job);
      else if (!this.again) return;
    }
  }

  private async run(job: BulkJobEntity): Promise<void> {
    const work = this.jobs.workOf(job.kind);
    const current = { ...job };
    const announce = (status: BulkJobStatus, error: string | null = null) =>
      this.signals.emit('bulkJobProgress', progressOf({ ...current, status, error, updatedAt: new Date() }));
    announce('RUNNING');
    try {
      for (;;) {
        if (this.state === 'STOPPED') {
          await this.db.transaction((m) => settleJob(m, job.id, this.owner, { status: 'QUEUED', updatedAt: new Date() }));
          announce('QUEUED');
          return;
        }
        const step = await retryOnDeadlock(() => this.db.transaction((m) => this.step(m, current, work)));
        if (step.kind === 'LOST') return;
        if (step.kind === 'FINISHED') return announce('SUCCEEDED');
        current.done += step.batch.done;
        current.cursor = step.batch.cursor;
        step.batch.announce();
        announce('RUNNING');
        if (this.config.batchDelayMs) await sleep(this.config.batchDelayMs, undefined, { signal: this.pause.signal }).catch(() => undefined);
      }
    } catch (thrown) {
      const error = coerceError(thrown).message.slice(0, 1000);
      this.log.warn({ job: job.id, err: coerceError(thrown) }, 'a bulk job failed');
      const failed = await this.db.transaction((m) => settleJob(m, job.id, this.owner, { status: 'FAILED', error, updatedAt: new Date() })).catch(() => false);
      if (failed) announce('FAILED', error);
    }
  }

  /** One batch in one transaction: the lease renewed first, the cursor moved last. */
  private async step(manager: EntityManager, job: BulkJobEntity, work: JobWork): Promise<Step> {
    const now = new Date();
    if (!(await holdJob(manager, job.id, this.owner, new Date(now.getTime() + this.config.leaseMs)))) return { kind: 'LOST' };
    const batch = await work.batch(job, manager, this.config.batchSize);
    if (!batch) {
      await settleJob(manager, job.id, this.owner, { status: 'SUCCEEDED', updatedAt: now });
      return { kind: 'FINISHED' };
    }
    await advanceJob(manager, job.id, this.owner, { done: job.done + batch.done, cursor: batch.cursor, updatedAt: now });
    return { kind: 'BATCH', batch };
  }
}
