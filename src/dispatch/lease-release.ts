import type { Database } from '../database/database';
import { SECOND } from '../domain/common/time';
import type { Logger } from '../logger';
import type { AnnounceDelivery } from './announce';
import { coerceError } from './errors';
import type { Claimed } from '../sql/claim-due';
import { releaseLeases } from '../sql/release-leases';

/** Deliveries of a paused or disabled destination are looked at again this often (nothing is dropped). */
export const PARK_MS = 5 * SECOND;

/**
 * Claimed deliveries going back to the queue unsent (sql/release-leases.ts): at a stop, when
 * a lease runs low before its request can start, to a limited destination's line, or
 * parked while their destination does not send. Each change is announced after its
 * commit.
 */
export class LeaseRelease {
  constructor(
    private readonly db: Database,
    private readonly workerId: string,
    private readonly announce: AnnounceDelivery,
    private readonly log: Logger,
  ) {}

  /** Due again at `dueAt`; rejects when the release fails. */
  async release(claimed: readonly Claimed[], dueAt: Date): Promise<void> {
    const now = new Date();
    const ids = claimed.map((c) => c.delivery.id);
    await this.db.queueTransaction((tx) => releaseLeases(tx, this.workerId, ids, dueAt, now));
    for (const c of claimed) {
      const status = c.delivery.attemptCount === 0 ? 'PENDING' : 'RETRY_SCHEDULED';
      this.announce({ ...c.delivery, status, leaseOwner: null, dueAt, updatedAt: now, version: c.delivery.version + 1 }, null);
    }
  }

  /** As release, never rejecting: when the release fails, the leases expire instead. */
  async giveBack(claimed: readonly Claimed[], dueAt: Date): Promise<void> {
    if (!claimed.length) return;
    await this.release(claimed, dueAt).catch((error: unknown) =>
      this.log.error({ err: coerceError(error) }, 'giving deliveries back failed; their leases will expire'),
    );
  }

  /** Given back for PARK_MS: their destination does not send now. */
  park(claimed: readonly Claimed[]): Promise<void> {
    return this.giveBack(claimed, new Date(Date.now() + PARK_MS));
  }
}
