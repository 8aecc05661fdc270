import type { Logger } from '../../logger';
import { SYNC_RUN_COMPLETED } from '../event/system-event-types';
import type { EventService } from '../event/event.service';
import type { SyncRunService } from './sync-run.service';

/**
 * Finishes COMPLETED runs whose deliveries are all final, and publishes
 * `sync.run.completed` for each (once: the FINISHED mark is taken by one process). It looks
 * every `lookEveryMs`, where the delivery engine runs; the state is in the database, so a
 * run a stopped process did not finish is finished by the next look of any process.
 */
export class SyncRunFinisher {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;

  constructor(
    private readonly runs: SyncRunService,
    private readonly events: EventService,
    private readonly log: Logger,
    private readonly lookEveryMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.look(), this.lookEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pass;
  }

  private look(): void {
    if (this.pass) return;
    this.pass = this.finishDone()
      .catch((error: unknown) => this.log.error({ err: error }, 'sync run finisher failed'))
      .finally(() => (this.pass = null));
  }

  /** One look: every COMPLETED run whose deliveries are final is finished. */
  async finishDone(): Promise<void> {
    for (const run of await this.runs.completedRuns()) {
      const finished = await this.runs.finishIfDone(run);
      if (!finished) continue;
      const { id, stream, mode, rowCount, deleteCount, delivered, failed, outcome } = finished;
      await this.events.publish(
        {
          tenantId: finished.tenantId,
          type: SYNC_RUN_COMPLETED,
          entityId: id,
          data: { runId: id, stream, mode, rows: rowCount, deletes: deleteCount, delivered, failed, outcome },
        },
        'SYSTEM',
      );
      this.log.info({ runId: id, stream, rows: rowCount, delivered, failed, outcome }, 'sync run finished');
    }
  }
}
