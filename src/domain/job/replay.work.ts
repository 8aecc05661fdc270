import type { EntityManager } from 'typeorm';
import type { Database } from '../../database/database';
import { DeliveryEntity } from '../delivery/delivery.entity';
import { EventEntity } from '../event/event.entity';
import { accepts, fanOut } from '../event/fan-out';
import { EventLoopShare } from '../common/event-loop-share';
import type { Signals } from '../common/signals';
import type { WebhookEntity } from '../webhook/webhook.entity';
import type { WebhookService } from '../webhook/webhook.service';
import type { BulkJobEntity } from './bulk-job.entity';
import type { JobBatch, JobWork } from './job-work';
import { loadWindow, type StoredWindow, type TimeWindow } from './time-window';

/** The params of a REPLAY job. */
export interface ReplayParams {
  webhookId: string;
  window: StoredWindow;
  /** The last event of the window when the job started: later ones reach the webhook as usual. */
  last: string | null;
}

/** Events read per look when counting. */
const COUNT_PAGE = 1000;

/**
 * REPLAY: the events of a time window that a webhook wants (its types and filter), sent
 * to it again as new deliveries with trigger REPLAY, whether they were published before
 * it existed or it delivered them already. The cursor is the last event examined, moved
 * in the transaction that stores the batch's deliveries: a resumed job replays none twice.
 */
export class ReplayWork implements JobWork {
  constructor(
    private readonly db: Database,
    private readonly webhooks: WebhookService,
    private readonly signals: Signals,
  ) {}

  /** How many events of the window the webhook wants, and the window's last event. */
  async measure(webhook: WebhookEntity, window: TimeWindow): Promise<{ total: number; last: string | null }> {
    const share = new EventLoopShare();
    let total = 0;
    let after = '';
    for (;;) {
      const events = await this.inWindow(this.db.manager, webhook.tenantId, window, after, null, COUNT_PAGE);
      if (!events.length) return { total, last: after || null };
      for (const event of events) if (await accepts(webhook, event, share)) total++;
      after = events[events.length - 1]!.id;
    }
  }

  async batch(job: BulkJobEntity, manager: EntityManager, size: number): Promise<JobBatch | null> {
    const { webhookId, window, last } = job.params as ReplayParams;
    if (last === null) return null;
    const webhook = await this.webhooks.get(webhookId);
    if (!webhook) throw new Error(`webhook ${webhookId} was deleted`);
    const events = await this.inWindow(manager, webhook.tenantId, loadWindow(window), job.cursor ?? '', last, size);
    if (!events.length) return null;
    const deliveries: DeliveryEntity[] = [];
    const share = new EventLoopShare();
    for (const event of events) deliveries.push(...(await fanOut(event, [webhook], new Date(), share, 'REPLAY')));
    if (deliveries.length) await manager.insert(DeliveryEntity, deliveries);
    const replayed = new Set(deliveries.map((d) => d.eventId));
    return {
      done: deliveries.length,
      cursor: events[events.length - 1]!.id,
      announce: () => {
        if (deliveries.length)
          this.signals.emit(
            'deliveriesCreated',
            deliveries,
            events.filter((e) => replayed.has(e.id)),
          );
      },
    };
  }

  /** A tenant's events created in the window, after `after` (and up to `last`), in id order. */
  private inWindow(manager: EntityManager, tenantId: string, window: TimeWindow, after: string, last: string | null, size: number): Promise<EventEntity[]> {
    const query = manager
      .createQueryBuilder(EventEntity, 'e')
      .where('e.tenant_id = :tenantId AND e.id > :after', { tenantId, after })
      .andWhere('e.created_at >= :since AND e.created_at < :until', { since: window.since.getTime(), until: window.until.getTime() });
    if (last !== null) query.andWhere('e.id <= :last', { last });
    return query.orderBy('e.id', 'ASC').take(size).getMany();
  }
}
