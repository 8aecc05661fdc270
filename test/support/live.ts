import { afterEach } from 'node:test';
import type { Client } from 'graphql-ws';
import type { TestApp } from './app';
import { eventually } from './deferred';
import { createKey } from './fixtures';
import { connected, subscribe, wsClient, type Stream } from './ws-client';

/**
 * Live subscriptions for a suite: `live(role, query, variables)` connects a graphql-ws
 * client with a fresh key of that role and resolves once the server holds the
 * subscription. Each test's clients are disposed after it, and none may stay subscribed.
 */
export function useLiveSubscriptions(ctx: () => TestApp) {
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await eventually(async () => ctx().app.realtime.hub.stats().subscribers === 0);
  });
  return async function live<T = Record<string, any>>(
    role: 'ADMIN' | 'PUBLISHER' | 'VIEWER',
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<Stream<T>> {
    const t = ctx();
    const client = wsClient(t.url, await createKey(t, role));
    clients.push(client);
    await connected(client);
    const before = t.app.realtime.hub.stats().subscribers;
    const stream = subscribe<T>(client, query, variables);
    await eventually(async () => t.app.realtime.hub.stats().subscribers > before);
    return stream;
  };
}
