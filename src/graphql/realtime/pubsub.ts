import { createPubSub, type PubSub, type PubSubEventTarget } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { BulkRetryProgress } from '../../domain/delivery/bulk-retry-progress';
import type { BulkJobProgress } from '../../domain/job/bulk-job-progress';
import type { TenantPortalState } from '../../domain/portal/portal-generations';
import type { AttemptWire, DeliveryWire, DestinationWire, EventWire, ListenerRequestWire } from './wire';

/**
 * The typed topics of hookgraph's GraphQL pub/sub. With REDIS_URL their messages cross
 * processes, so they are the JSON forms of wire.ts.
 */
export interface DeliveryMessage {
  delivery: DeliveryWire;
  attempt: AttemptWire | null;
}

/** Topic → [namespace, message]. The namespace keeps installations sharing one Redis apart. */
export type Topics = {
  deliveryUpdated: [namespace: string, message: DeliveryMessage];
  eventPublished: [namespace: string, message: EventWire];
  destinationStatusChanged: [namespace: string, message: DestinationWire];
  listenerRequestReceived: [namespace: string, message: ListenerRequestWire];
  apiKeyRevoked: [namespace: string, message: { apiKeyId: string }];
  /** A tenant's portal tokens were revoked, or it is being deleted. */
  portalAccessChanged: [namespace: string, message: TenantPortalState];
  bulkRetryProgress: [namespace: string, message: BulkRetryProgress];
  bulkJobProgress: [namespace: string, message: BulkJobProgress];
};

export type TopicName = keyof Topics;
export type TopicMessage<T extends TopicName> = Topics[T][1];

export interface HookgraphPubSub {
  publish<T extends TopicName>(topic: T, message: TopicMessage<T>): void;
  /**
   * Calls `listener` for every message on `topic`, synchronously as the event target
   * dispatches it (no per-listener queue that could overflow in a burst). All listeners
   * of one message receive the same object. Returns the function that stops listening.
   */
  listen<T extends TopicName>(topic: T, listener: (message: TopicMessage<T>) => void): () => void;
  /** 'in-process' or 'redis'. */
  readonly mode: 'in-process' | 'redis';
  /** Resolves once Redis (if used) answers on both connections; call before listening. */
  connect(): Promise<void>;
  /** Resolves once messages on these topics reach this process (Redis subscribes asynchronously). */
  ready(topics: TopicName[]): Promise<void>;
  /** Rejects when Redis (if used) does not answer. */
  ping(): Promise<void>;
  stop(): Promise<void>;
}

export interface PubSubOptions {
  redisUrl: string | undefined;
  /** Prefix of every channel, so several installations (or tests) can share one Redis. */
  namespace: string;
  /** A Redis command failed (Redis away): live updates in that moment are lost, nothing else. */
  onRedisError?: (error: unknown) => void;
}

/** In-process pub/sub, or Redis pub/sub across processes when a Redis URL is given. */
export function createHookgraphPubSub({ redisUrl, namespace, onRedisError = () => undefined }: PubSubOptions): HookgraphPubSub {
  if (!redisUrl) {
    const eventTarget = new EventTarget() as PubSubEventTarget<Topics>;
    return wrap(eventTarget, namespace, 'in-process', {
      connect: async () => undefined,
      ready: async () => undefined,
      ping: async () => undefined,
      stop: async () => undefined,
    });
  }
  // A subscribed ioredis connection cannot publish, hence two connections.
  const options = { lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: true };
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  // Connection errors surface through ping() and /readyz; ioredis reconnects by itself.
  publishClient.on('error', () => undefined);
  subscribeClient.on('error', () => undefined);
  // The event target fires PUBLISH/SUBSCRIBE without awaiting them: catch their failures
  // here, or a Redis outage would end the process with an unhandled rejection.
  const guarded = <T>(promise: Promise<T>) => void promise.catch(onRedisError);
  const eventTarget = createRedisEventTarget<CustomEvent>({
    publishClient: { publish: (channel: string, message: string) => guarded(publishClient.publish(channel, message)) } as unknown as Redis,
    subscribeClient: {
      on: (event: 'message', listener: (channel: string, message: string) => void) => subscribeClient.on(event, listener),
      subscribe: (channel: string) => guarded(subscribeClient.subscribe(channel)),
      unsubscribe: (channel: string) => guarded(subscribeClient.unsubscribe(channel)),
    } as unknown as Redis,
  }) as PubSubEventTarget<Topics>;
  return wrap(eventTarget, namespace, 'redis', {
    // Both connections past ioredis's ready check before the first SUBSCRIBE: a command
    // other than (P)SUBSCRIBE/PING on a subscribed connection is refused.
    connect: async () => {
      await Promise.all([publishClient.ping(), subscribeClient.ping()]);
    },
    // SUBSCRIBE again is harmless; its reply comes after the event target's own SUBSCRIBEs.
    ready: async (topics) => {
      await subscribeClient.subscribe(...topics.map((topic) => `${topic}:${namespace}`));
    },
    ping: async () => {
      await publishClient.ping();
    },
    stop: async () => {
      // QUIT waits for an answer; with Redis away that could be forever.
      const quit = Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([quit, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  });
}

function wrap(
  eventTarget: PubSubEventTarget<Topics>,
  namespace: string,
  mode: HookgraphPubSub['mode'],
  lifecycle: Pick<HookgraphPubSub, 'connect' | 'ready' | 'ping' | 'stop'>,
): HookgraphPubSub {
  const pubsub: PubSub<Topics> = createPubSub<Topics>({ eventTarget });
  return {
    mode,
    ...lifecycle,
    // createPubSub names the channel `<topic>:<namespace>`.
    publish: (topic, message) => pubsub.publish(topic, namespace, message as never),
    listen: (topic, listener) => {
      const callback = (event: Event) => listener((event as CustomEvent).detail);
      eventTarget.addEventListener(`${topic}:${namespace}`, callback as never);
      return () => eventTarget.removeEventListener(`${topic}:${namespace}`, callback as never);
    },
  };
}

/**
 * What buildSchema receives as `pubSub`. The schema is built once per process while
 * each running app has its own pub/sub, so subscriptions reach theirs through the
 * connection's context (`subscribe:` resolvers), never through type-graphql topics.
 */
export const schemaPubSub = {
  publish(): void {
    throw new Error('publish through the app’s HookgraphPubSub (signals → pub/sub), not the schema');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('subscriptions subscribe through their connection’s hub, not type-graphql topics');
  },
};
