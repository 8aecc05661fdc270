import type { HookgraphPubSub, TopicMessage, TopicName } from './pubsub';
import { BoundedQueue } from './bounded-queue';
import { LatestVersions } from './latest-versions';

interface Subscriber<T extends TopicName> {
  accept(message: TopicMessage<T>): boolean;
  queue: BoundedQueue<TopicMessage<T>>;
  onOverflow(): void;
}

export interface HubOptions {
  /** Messages one subscriber may have waiting before it is cut off. */
  maxBacklog: number;
}

export interface HubStats {
  subscribers: number;
  /** Subscribers disconnected because their backlog overflowed. */
  cutOff: number;
  /** Delivery changes dropped because a newer state of the delivery had already gone out. */
  stale: number;
}

/** Topics that are news for this process, handed to its listeners rather than to subscribers. */
type NoticeTopic = 'apiKeyRevoked' | 'portalAccessChanged';
const NOTICES: NoticeTopic[] = ['apiKeyRevoked', 'portalAccessChanged'];

const TOPICS: TopicName[] = [
  'deliveryUpdated',
  'eventPublished',
  'destinationStatusChanged',
  'listenerRequestReceived',
  'bulkRetryProgress',
  'bulkJobProgress',
  ...NOTICES,
];

/**
 * One pub/sub subscription per topic per process, fanned out to the local subscribers
 * after their server-side filter. Every subscriber of a topic receives the same message
 * object, which is what lets the execution be shared per event (see shared-execution.ts).
 */
export class SubscriberHub {
  private readonly subscribers = new Map<TopicName, Set<Subscriber<TopicName>>>();
  private readonly noticeListeners = new Map<NoticeTopic, Set<(message: never) => void>>(NOTICES.map((topic) => [topic, new Set()]));
  private readonly unlisten: (() => void)[] = [];
  private readonly latest = new LatestVersions();
  private cutOff = 0;
  private stale = 0;
  private stopped = false;

  constructor(
    private readonly pubsub: HookgraphPubSub,
    private readonly options: HubOptions,
    private readonly onDispatchError: (topic: TopicName, error: unknown) => void,
  ) {
    for (const topic of TOPICS) this.subscribers.set(topic, new Set());
  }

  /** Listens on every topic; resolves once the pub/sub has subscribed (matters for Redis). */
  async start(): Promise<void> {
    for (const topic of TOPICS) {
      this.unlisten.push(
        this.pubsub.listen(topic, (message) => {
          try {
            this.dispatch(topic, message);
          } catch (error) {
            this.onDispatchError(topic, error);
          }
        }),
      );
    }
    await this.pubsub.ready(TOPICS);
  }

  subscribe<T extends TopicName>(
    topic: T,
    accept: (message: TopicMessage<T>) => boolean,
    onOverflow: () => void,
    /** A state the subscriber gets first (what it would otherwise have missed). */
    initial?: TopicMessage<T>,
  ): AsyncIterableIterator<TopicMessage<T>> {
    const set = this.subscribers.get(topic)!;
    const subscriber: Subscriber<T> = {
      accept,
      onOverflow,
      queue: new BoundedQueue<TopicMessage<T>>(this.options.maxBacklog, () => set.delete(subscriber as never)),
    };
    if (initial !== undefined) subscriber.queue.push(initial);
    if (this.stopped) subscriber.queue.end();
    else set.add(subscriber as never);
    return subscriber.queue;
  }

  onApiKeyRevoked(listener: (apiKeyId: string) => void): () => void {
    return this.onNotice('apiKeyRevoked', ({ apiKeyId }) => listener(apiKeyId));
  }

  onPortalAccessChanged(listener: (tenant: TopicMessage<'portalAccessChanged'>) => void): () => void {
    return this.onNotice('portalAccessChanged', listener);
  }

  private onNotice<T extends NoticeTopic>(topic: T, listener: (message: TopicMessage<T>) => void): () => void {
    const listeners = this.noticeListeners.get(topic)!;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /**
   * Whether a change on `topic` can reach anyone: with Redis, other processes may listen;
   * in-process, only this hub's subscribers. Nobody: the bridge does not even encode it.
   */
  wants(topic: TopicName): boolean {
    return this.pubsub.mode === 'redis' || this.subscribers.get(topic)!.size > 0;
  }

  /** A delivery change that went to nobody (see wants): a later-announced older one is still stale. */
  passed(deliveryId: string, version: number): void {
    this.latest.isStale(deliveryId, version);
  }

  stats(): HubStats {
    let subscribers = 0;
    for (const set of this.subscribers.values()) subscribers += set.size;
    return { subscribers, cutOff: this.cutOff, stale: this.stale };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unlisten.splice(0)) off();
    for (const set of this.subscribers.values()) for (const s of [...set]) s.queue.end();
  }

  private dispatch<T extends TopicName>(topic: T, message: TopicMessage<T>): void {
    const notice = this.noticeListeners.get(topic as NoticeTopic);
    if (notice) {
      for (const listener of notice) listener(message as never);
      return;
    }
    if (topic === 'deliveryUpdated') {
      const { delivery } = message as TopicMessage<'deliveryUpdated'>;
      if (this.latest.isStale(delivery.id, delivery.version)) {
        this.stale += 1;
        return;
      }
    }
    for (const subscriber of this.subscribers.get(topic)!) {
      let accepted: boolean;
      try {
        accepted = subscriber.accept(message);
      } catch {
        accepted = false;
      }
      if (!accepted || subscriber.queue.push(message)) continue;
      // Full backlog: the subscriber stopped reading. Drop it rather than buffer without bound.
      this.cutOff += 1;
      subscriber.queue.end();
      subscriber.onOverflow();
    }
  }
}
