import type { Logger } from '../../logger';
import type { Services } from '../../services';
import { createHookgraphPubSub, type HookgraphPubSub } from '../pubsub';
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
  const pubsub = createHookgraphPubSub({ redisUrl: config.redisUrl, namespace: config.redisPrefix });
  const hub = new SubscriberHub(pubsub, { maxBacklog: config.subscriptionBacklog }, (topic, error) =>
    log.error({ err: error, topic }, 'live update could not be dispatched'),
  );
  try {
    await hub.start();
  } catch (error) {
    await hub.stop();
    await pubsub.stop();
    throw error;
  }
  const unbridge = bridgeSignals(services.signals, pubsub);
  log.info({ pubsub: pubsub.mode }, 'live updates ready');
  return {
    pubsub,
    hub,
    stop: async () => {
      unbridge();
      await hub.stop();
      await pubsub.stop();
    },
  };
}
