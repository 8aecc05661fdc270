import type { Database } from '../../database/database';
import { insertOutbox } from '../../sql/insert-outbox';
import type { DeliveryEntity } from '../delivery/delivery.entity';
import type { EventEntity } from './event.entity';

/** Publishes written together at most (their rows make one statement per table). */
const MAX_GROUP = 64;

interface Pending {
  events: EventEntity[];
  deliveries: DeliveryEntity[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The outbox write of publishes, with group commit: the publishes of one event-loop turn
 * are written in one transaction (sql/insert-outbox.ts), without the ORM (a
 * commit costs the database far more than a row). Each caller's promise settles after
 * that commit. When a group fails (say, one publish's idempotency key is taken), its
 * publishes are written again one by one, so one bad publish fails alone.
 */
export class EventStore {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly db: Database) {}

  /** Stores events and their deliveries atomically. */
  store(events: EventEntity[], deliveries: DeliveryEntity[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ events, deliveries, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += MAX_GROUP) void this.writeGroup(all.slice(i, i + MAX_GROUP));
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    try {
      await this.write(
        group.flatMap((p) => p.events),
        group.flatMap((p) => p.deliveries),
      );
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const p of group) this.write(p.events, p.deliveries).then(p.resolve, p.reject);
      return;
    }
    for (const p of group) p.resolve();
  }

  /** One atomic write, in one round trip where the database has them (Database.write). */
  private async write(events: EventEntity[], deliveries: DeliveryEntity[]): Promise<void> {
    await this.db.write(insertOutbox(this.db.dialect, events, deliveries));
  }
}
