import type { Database } from '../../database/database';
import type { Logger } from '../../logger';
import { deleteTenant, deleteTenantRows } from '../../sql/delete-tenant-data';
import type { Signals } from '../common/signals';
import { SECOND } from '../common/time';
import { TenantEntity } from './tenant.entity';

/** Rows deleted per transaction: each batch is one short transaction. */
const BATCH = 500;
/** Between two batches, so publishes and the queue's own writes are not kept waiting. */
const BATCH_GAP_MS = 20;
/** How often tenants marked for deletion (in any process) are looked for. */
const LOOK_EVERY_MS = 10 * SECOND;

export interface TenantDeletionOptions {
  batchSize?: number;
  lookEveryMs?: number;
}

/**
 * Removes the data of tenants marked DELETING (TenantService.markDeleted), in small
 * transactions, then the tenants. It runs where the delivery engine runs; a deletion a
 * stopped process left half done is finished by the next look of any process, since
 * the mark is in the database. Progress is what the tenant still owns
 * (countTenantRows, Tenant.remaining).
 */
export class TenantDeletion {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  private readonly batchSize: number;
  private readonly lookEveryMs: number;

  constructor(
    private readonly db: Database,
    private readonly signals: Signals,
    private readonly log: Logger,
    options: TenantDeletionOptions = {},
  ) {
    this.batchSize = options.batchSize ?? BATCH;
    this.lookEveryMs = options.lookEveryMs ?? LOOK_EVERY_MS;
  }

  start(): void {
    this.unsubscribe = this.signals.on('tenantDeleting', () => this.look());
    this.timer = setInterval(() => this.look(), this.lookEveryMs);
    this.timer.unref();
    this.look();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.pass;
  }

  /** A pass now, or right after the running one. */
  private look(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.run()
      .catch((error: unknown) => this.log.error({ err: error }, 'deleting a tenant’s data failed; the next look goes on'))
      .finally(() => {
        this.pass = null;
        if (this.again) {
          this.again = false;
          this.look();
        }
      });
  }

  private async run(): Promise<void> {
    const marked = await this.db.manager.findBy(TenantEntity, { status: 'DELETING' });
    for (const tenant of marked) {
      let deleted = 0;
      for (;;) {
        if (this.stopped) return;
        const batch = await this.db.queueTransaction((tx) => deleteTenantRows(tx, tenant.id, this.batchSize));
        if (batch === 0) break;
        deleted += batch;
        await new Promise((resolve) => setTimeout(resolve, BATCH_GAP_MS));
      }
      await this.db.queueTransaction((tx) => deleteTenant(tx, tenant.id));
      this.log.info({ tenantId: tenant.id, uid: tenant.uid, rows: deleted }, 'tenant deleted with its data');
    }
  }
}
