import type { Logger } from '../../logger';
import type { Services } from '../../services';
import { createHookgraphPubSub, type HookgraphPubSub } from './pubsub';
import { bridgeSignals } from './signal-bridge';
import { SubscriberHub } from './subscriber-hub';

/** The realtime layer of one running hookgraph: pub/sub, the signal bridge and the hub. */
export interface Realtime {
  pubsub: HookgraphPubSub;
  hub: SubscriberHub;
  stop(): Promise<void>;
}

export async function startRealtime(services: Services, log: Logger): Promise<Realtime> {
  const { config } = services;
  let lastWarning = 0;
  const pubsub = createHookgraphPubSub({
    redisUrl: config.redisUrl,
    namespace: config.redisPrefix,
    onRedisError: (error) => {
      // At most one line per 10 s while Redis is away.
      if (Date.now() - lastWarning < 10_000) return;
      lastWarning = Date.now();
      log.warn({ err: error }, 'Redis pub/sub failed; live updates are lost until it answers again');
    },
  });
  const hub = new SubscriberHub(pubsub, { maxBacklog: config.subscriptionBacklog }, (topic, error) =>
    log.error({ err: error, topic }, 'live update could not be dispatched'),
  );
  try {
    await pubsub.connect().catch((error: unknown) => {
      throw new Error(`REDIS_URL: Redis does not answer (${error instanceof Error ? error.message : String(error)})`);
    });
    await hub.start();
  } catch (error) {
    await hub.stop();
    await pubsub.stop();
    throw error;
  }
  const unbridge = bridgeSignals(services.signals, pubsub, hub);
  // A key revoked in any process is no longer trusted from this one's look-up cache.
  const unforget = hub.onApiKeyRevoked((apiKeyId) => services.apiKeys.forget(apiKeyId));
  // A tenant's portal revoked (or its deletion begun) in any process: its tokens stop here too.
  const unlearn = hub.onPortalAccessChanged((tenant) => services.portal.generations.apply(tenant));
  log.info({ pubsub: pubsub.mode }, 'live updates ready');
  return {
    pubsub,
    hub,
    stop: async () => {
      unforget();
      unlearn();
      unbridge();
      await hub.stop();
      await pubsub.stop();
    },
  };
}
