import { createClient, type Client } from 'graphql-ws';
import type { FormattedExecutionResult } from 'graphql';

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>;
import WebSocket from 'ws';
import { deferred } from './deferred';

/** The graphql-ws URL of a running app (`http://host:port` → `ws://host:port/graphql`). */
export function wsUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/graphql`;
}

/** A real graphql-ws client that connects at once and does not retry (tests want the failure). */
export function wsClient(httpUrl: string, key: string | null, extra: { onClosed?: (code: number, reason: string) => void } = {}): Client {
  return createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: key === null ? {} : { authorization: `Bearer ${key}` },
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        extra.onClosed?.(e.code, e.reason);
      },
    },
    onNonLazyError: () => undefined,
  });
}

export interface Stream<T> {
  /** The next result, or a rejection after `timeoutMs`. */
  next(timeoutMs?: number): Promise<ExecutionResult<T>>;
  /** Results received and not yet taken. */
  readonly buffered: ExecutionResult<T>[];
  /** Settles when the server ends the subscription (error or complete). */
  ended: Promise<unknown>;
  stop(): void;
}

/** Subscribes and queues the results, so a test can await them in order. */
export function subscribe<T = Record<string, any>>(client: Client, query: string, variables?: Record<string, unknown>): Stream<T> {
  const buffered: ExecutionResult<T>[] = [];
  const waiters: ((r: ExecutionResult<T>) => void)[] = [];
  const end = deferred<unknown>();
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        const waiter = waiters.shift();
        if (waiter) waiter(result);
        else buffered.push(result);
      },
      error: (error) => end.resolve(error),
      complete: () => end.resolve(undefined),
    },
  );
  return {
    buffered,
    ended: end.promise,
    stop,
    next: (timeoutMs = 5000) => {
      const ready = buffered.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`no subscription result within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (r: ExecutionResult<T>) => {
          clearTimeout(timer);
          resolve(r);
        };
        waiters.push(waiter);
      });
    },
  };
}

/** Waits until the client has its connection_ack (subscriptions made before are then live). */
export function connected(client: Client, timeoutMs = 5000): Promise<void> {
  const done = deferred<void>();
  const offConnected = client.on('connected', () => done.resolve());
  const offClosed = client.on('closed', (e) => done.reject(new Error(`closed before ack: ${(e as { code: number }).code}`)));
  const timer = setTimeout(() => done.reject(new Error('no connection_ack')), timeoutMs);
  return done.promise.finally(() => {
    clearTimeout(timer);
    offConnected();
    offClosed();
  });
}

/** A raw socket speaking graphql-transport-ws, for protocol-level tests (close codes). */
export async function rawSocket(
  httpUrl: string,
  protocol: string | null = 'graphql-transport-ws',
): Promise<{
  ws: WebSocket;
  send(message: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  messages: unknown[];
  nextMessage(): Promise<any>;
}> {
  const ws = protocol === null ? new WebSocket(wsUrl(httpUrl)) : new WebSocket(wsUrl(httpUrl), protocol);
  const closed = deferred<{ code: number; reason: string }>();
  const messages: unknown[] = [];
  let waiter: ((m: unknown) => void) | null = null;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (waiter) {
      const w = waiter;
      waiter = null;
      w(message);
    } else messages.push(message);
  });
  ws.on('close', (code, reason) => closed.resolve({ code, reason: String(reason) }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    closed: closed.promise,
    messages,
    nextMessage: () =>
      messages.length
        ? Promise.resolve(messages.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no message within 5 s')), 5000);
            waiter = (m) => {
              clearTimeout(timer);
              resolve(m);
            };
          }),
  };
}
