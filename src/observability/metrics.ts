import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../database/database';
import type { Signals } from '../domain/common/signals';
import { queueDepth, type QueueDepth } from '../sql/queue-depth';

/** Attempt and publish durations, in seconds: from a fast local receiver to a slow timeout. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
/** The queue's gauges read the database at most this often, however often Prometheus scrapes. */
const QUEUE_READ_MS = 1000;

/** What the gauges read from parts started after the services (the dispatcher, the realtime hub). */
export interface LiveCounts {
  /** Requests this process has on the wire now (the dispatcher's). */
  inFlight(): number;
  /** Subscriptions open on this process's sockets. */
  subscriptionsOpen(): number;
}

/**
 * The Prometheus metrics of one process (prom-client), with prom-client's process
 * metrics. No label takes values that grow with the data (no destination or tenant ids):
 * `outcome` and `status` have a few values each.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly publishDuration: Histogram;
  readonly listenerRequests: Counter<'status'>;
  private readonly deliveries: Counter<'outcome'>;
  private readonly attemptDuration: Histogram<'outcome'>;
  private depth: { read: Promise<QueueDepth>; at: number } | null = null;
  private readonly off: () => void;
  /** Until main.ts hands over the parts that know: nothing on the wire, nobody subscribed. */
  private live: LiveCounts = { inFlight: () => 0, subscriptionsOpen: () => 0 };

  constructor(
    private readonly db: Database,
    signals: Signals,
  ) {
    const live = () => this.live;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.deliveries = new Counter({
      name: 'hookgraph_deliveries_total',
      help: 'Deliveries that reached an outcome in this process: succeeded, failed, cancelled, or retry_scheduled (an attempt failed and another is due).',
      labelNames: ['outcome'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'hookgraph_attempt_duration_seconds',
      help: 'How long each HTTP attempt took, by its outcome (SUCCESS, HTTP_ERROR, TIMEOUT, …).',
      labelNames: ['outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.publishDuration = new Histogram({
      name: 'hookgraph_publish_duration_seconds',
      help: 'How long eventPublish and eventPublishBatch took, from the call to the commit.',
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.listenerRequests = new Counter({
      name: 'hookgraph_listener_requests_total',
      help: 'Requests to inbound listeners, by the HTTP status answered.',
      labelNames: ['status'],
      registers,
    });
    const depth = () => this.queueDepth();
    new Gauge({
      name: 'hookgraph_queue_due',
      help: `Deliveries due now and not yet claimed (counted up to 100,000).`,
      registers,
      async collect() {
        this.set((await depth()).due);
      },
    });
    new Gauge({
      name: 'hookgraph_queue_oldest_due_seconds',
      help: 'How long the oldest due delivery has been due (0 when none is).',
      registers,
      async collect() {
        const { oldestDueAt } = await depth();
        this.set(oldestDueAt === null ? 0 : Math.max(0, (Date.now() - oldestDueAt) / 1000));
      },
    });
    new Gauge({
      name: 'hookgraph_breakers_open',
      help: 'Destinations whose circuit breaker holds their deliveries now.',
      registers,
      async collect() {
        this.set((await depth()).breakersOpen);
      },
    });
    new Gauge({
      name: 'hookgraph_in_flight',
      help: 'Requests this process has on the wire now.',
      registers,
      collect() {
        this.set(live().inFlight());
      },
    });
    new Gauge({
      name: 'hookgraph_subscriptions_open',
      help: 'GraphQL subscriptions open on this process.',
      registers,
      collect() {
        this.set(live().subscriptionsOpen());
      },
    });
    this.off = signals.on('deliveryUpdated', (delivery, attempt) => {
      if (attempt) this.attemptDuration.observe({ outcome: attempt.outcome }, attempt.durationMs / 1000);
      // A retry is scheduled only by an attempt (a released lease goes back to
      // RETRY_SCHEDULED without one, and is no outcome); the other outcomes are final.
      const outcome = FINAL.has(delivery.status) || (delivery.status === 'RETRY_SCHEDULED' && attempt);
      if (outcome) this.deliveries.inc({ outcome: delivery.status.toLowerCase() });
    });
  }

  /** The parts that count requests on the wire and open subscriptions, once they run. */
  countLive(live: LiveCounts): void {
    this.live = live;
  }

  /** The exposition text, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  stop(): void {
    this.off();
  }

  private queueDepth(): Promise<QueueDepth> {
    if (!this.depth || Date.now() - this.depth.at > QUEUE_READ_MS) {
      const read = this.db.queueTransaction((tx) => queueDepth(tx, Date.now()));
      read.catch(() => {
        if (this.depth?.read === read) this.depth = null;
      });
      this.depth = { read, at: Date.now() };
    }
    return this.depth.read;
  }
}
