import type { Context } from '../context';
import type { SubscriberHub } from './subscriber-hub';

/** What a subscription resolver needs besides the usual context; present on graphql-ws only. */
export interface ConnectionRealtime {
  hub: SubscriberHub;
  /** Disconnects this subscriber's socket: its backlog overflowed. */
  cutOff(): void;
}

export type RealtimeContext = Context & { realtime?: ConnectionRealtime };

export function realtimeOf(context: RealtimeContext): ConnectionRealtime {
  if (!context.realtime) throw new Error('subscriptions are served over graphql-ws on /graphql, not over HTTP');
  return context.realtime;
}
