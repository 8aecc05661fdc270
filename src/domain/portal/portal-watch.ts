import { MoreThanOrEqual } from 'typeorm';
import type { Database } from '../../database/database';
import { SECOND } from '../common/time';
import { TenantEntity } from '../tenant/tenant.entity';
import type { PortalGenerations } from './portal-generations';

/** Each look reaches back this far past the last one: another process's clock may run behind. */
const CLOCK_MARGIN_MS = 1 * SECOND;

/**
 * Keeps this process's PortalGenerations current from the database: every tenant at
 * start, then every `everyMs` the tenants changed since the last look (a revocation or
 * a deletion begun by any process bumps `updated_at`). Pub/sub brings the same news at
 * once when there is Redis; this look is what bounds how late it can be without it, or
 * when a message was lost.
 */
export class PortalWatch {
  private timer: NodeJS.Timeout | null = null;
  private since: number | null = null;
  private looking: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly generations: PortalGenerations,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resolves once every tenant is known. */
  async start(): Promise<void> {
    await this.look();
    this.timer = setInterval(() => {
      this.looking ??= this.look()
        .catch(this.onError)
        .finally(() => (this.looking = null));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.looking;
  }

  private async look(): Promise<void> {
    const startedAt = Date.now();
    const rows = await this.db.manager.find(TenantEntity, {
      select: { id: true, status: true, portalGeneration: true },
      where: this.since === null ? {} : { updatedAt: MoreThanOrEqual(new Date(this.since - CLOCK_MARGIN_MS)) },
    });
    this.since = startedAt;
    for (const row of rows) this.generations.apply(row);
  }
}
