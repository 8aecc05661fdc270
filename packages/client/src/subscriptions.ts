import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { CloseCode, createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { source } from './documents';
import { HookgraphError, NetworkError } from './errors';

export interface Sink<T> {
  next(value: T): void;
  /** The subscription ended with an error (a bad key, an invalid filter, retries used up). */
  error?(error: HookgraphError): void;
  complete?(): void;
}

export interface SubscriptionOptions {
  /** A WebSocket constructor; default the platform's (browsers, Node 22+), else the `ws` package. */
  webSocketImpl?: unknown;
  /** Reconnects after a lost connection before giving up; default without end. */
  retryAttempts?: number;
  /** Told when the socket connects (again, after a reconnect) and when it closes. */
  onConnectionChange?(state: 'connected' | 'closed'): void;
}

/** Close codes after which connecting again cannot help: the key or the request is refused. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.Forbidden, CloseCode.Unauthorized, CloseCode.BadRequest]);

async function webSocketImplementation(given: unknown): Promise<unknown> {
  if (given) return given;
  if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket;
  // Node before 22 has no global WebSocket; `ws` is an optional peer dependency then.
  const ws = (await import('ws')) as { WebSocket?: unknown; default?: unknown };
  return ws.WebSocket ?? ws.default;
}

function closeCode(reason: unknown): number | null {
  return reason !== null && typeof reason === 'object' && 'code' in reason && typeof reason.code === 'number' ? reason.code : null;
}

/** What graphql-ws hands a sink's error (a close event, an Error, GraphQL errors) as a HookgraphError. */
function toError(reason: unknown): HookgraphError {
  if (Array.isArray(reason)) {
    const first = reason[0] as { message?: string; extensions?: { code?: string } } | undefined;
    return new HookgraphError(first?.message ?? 'subscription refused', first?.extensions?.code ?? 'GRAPHQL_ERROR');
  }
  const code = closeCode(reason);
  if (code === CloseCode.Forbidden || code === CloseCode.Unauthorized) {
    const text = (reason as { reason?: string }).reason;
    return new HookgraphError(`the server refused the key${text ? `: ${text}` : ''}`, 'FORBIDDEN');
  }
  if (code !== null)
    return new NetworkError(`connection closed (${code}${(reason as { reason?: string }).reason ? `: ${(reason as { reason: string }).reason}` : ''})`);
  return new NetworkError(reason instanceof Error ? reason.message : 'connection failed', { cause: reason });
}

/**
 * graphql-ws subscriptions on one lazily opened socket, authenticated in `connection_init`;
 * it reconnects by itself and subscribes again, unless the server refused the key.
 */
export function subscriptionTransport(endpoint: string, key: string | undefined, options: SubscriptionOptions = {}) {
  const { retryAttempts = Infinity, onConnectionChange } = options;
  let client: Promise<WsClient> | null = null;
  const open = () =>
    (client ??= webSocketImplementation(options.webSocketImpl).then((webSocketImpl) =>
      createWsClient({
        url: endpoint.replace(/^http/, 'ws'),
        webSocketImpl,
        connectionParams: key ? { authorization: `Bearer ${key}` } : {},
        retryAttempts,
        shouldRetry: (reason) => !FINAL_CLOSE_CODES.has(closeCode(reason) ?? 0),
        on: { connected: () => onConnectionChange?.('connected'), closed: () => onConnectionChange?.('closed') },
      }),
    ));

  return {
    /** Starts a subscription; the returned function ends it. */
    subscribe<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables, sink: Sink<Result>): () => void {
      let stop: (() => void) | null = null;
      let stopped = false;
      open().then(
        (ws) => {
          if (stopped) return;
          stop = ws.subscribe<Result>(
            { query: source(document), variables: variables as Record<string, unknown> },
            {
              next: (result) => (result.errors?.length ? sink.error?.(toError(result.errors)) : sink.next(result.data as Result)),
              error: (reason) => sink.error?.(toError(reason)),
              complete: () => sink.complete?.(),
            },
          );
        },
        (reason: unknown) => sink.error?.(toError(reason)),
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
    /** Closes the socket. */
    async dispose(): Promise<void> {
      if (client) await (await client).dispose();
    },
  };
}

export type SubscriptionTransport = ReturnType<typeof subscriptionTransport>;
