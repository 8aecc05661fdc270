import type { Database } from '../database/database';
import type { DeliveryEntity } from '../domain/delivery/delivery.entity';
import { SECOND } from '../domain/common/time';
import { returnExpiredLeases } from '../sql/release-leases';

/** Each sweep reads this far back past where the last one ended: a lease timed by another host's clock is found too. */
const CLOCK_MARGIN_MS = 1 * SECOND;
/** Rows returned per transaction. */
const BATCH = 500;

/**
 * Finds the leases that ended since the last look (their worker died) and puts their
 * deliveries back in their place in the queue (sql/release-leases.ts). The first sweep
 * of a process reads every due delivery, so a restart after a crash finds its own
 * leases; each later one reads only the stretch of the due-time index that has come due
 * since.
 */
export class ExpiredLeases {
  private sweptUntil: number | null = null;
  private running: Promise<DeliveryEntity[]> | null = null;

  constructor(private readonly db: Database) {}

  /** The deliveries put back. One sweep at a time: a call during one shares it. */
  sweep(now: number): Promise<DeliveryEntity[]> {
    this.running ??= this.run(now).finally(() => (this.running = null));
    return this.running;
  }

  /** Settles once no sweep runs. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async run(now: number): Promise<DeliveryEntity[]> {
    const from = this.sweptUntil === null ? -1 : this.sweptUntil - CLOCK_MARGIN_MS;
    const returned: DeliveryEntity[] = [];
    for (;;) {
      const batch = await this.db.queueTransaction((tx) => returnExpiredLeases(tx, from, now, BATCH));
      returned.push(...batch);
      if (batch.length < BATCH) break;
    }
    this.sweptUntil = now;
    return returned;
  }
}
