import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getOperationAST, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../domain/api-key/api-key.service';
import { portalKeyId } from '../domain/portal/portal.service';
import type { PortalClaims } from '../domain/portal/portal-token';
import { createContext, type Context } from '../graphql/context';
import { ErrorCode, formatError } from '../graphql/errors';
import { limitRules } from '../graphql/limits/operation-limits';
import { jsonExceeds, responseTooLarge } from '../graphql/limits/response-size';
import type { Realtime } from '../graphql/realtime/realtime';
import type { RealtimeContext } from '../graphql/realtime/realtime-context';
import { createSharedSubscribe, isSharedResult, preSerializedOf } from '../graphql/realtime/shared-execution';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { authenticate } from './authenticate';
import { bearerKey } from './graphql-http';
import { prepareWsOperation } from './graphql-ws-operation';
import { SplicingWebSocket } from './graphql-ws-socket';

export const GRAPHQL_WS_PATH = '/graphql';
/** Close code for a subscriber cut off because its backlog overflowed (RFC 6455 "try again later"). */
export const SLOW_SUBSCRIBER_CLOSE_CODE = 1013;
/** Operations one socket may run at once: each holds a backlog, so their number is bounded too. */
export const MAX_OPERATIONS_PER_SOCKET = 100;
/** How long a closing socket may take to say goodbye before it is dropped. */
const CLOSE_GRACE_MS = 1000;

export interface GraphqlWs {
  /** Apollo's drainServer hook: closes every socket when the server stops. */
  drainPlugin: ApolloServerPlugin<Context>;
  dispose(): Promise<void>;
}

type ConnectionExtra = {
  principal?: Principal;
  /** A portal token's connection: cancels its close at the token's expiry. */
  cancelExpiry?: () => void;
};

/**
 * graphql-ws (`graphql-transport-ws`) on /graphql of the HTTP server. The key comes from
 * the connection_init payload `{ authorization: "Bearer <key>" }`; a missing or bad key
 * closes with 4403, and revoking a key closes its sockets with 4403; so do a portal token's
 * expiry and the revocation of its tenant's portal access. Protocol violations
 * get graphql-ws's own close codes (4400, 4401, 4406, 4408, 4409, 4429).
 */
export function attachGraphqlWs(server: http.Server, schema: GraphQLSchema, services: Services, realtime: Realtime, log: Logger): GraphqlWs {
  const production = services.config.profile === 'production';
  const limits = services.config.queryLimits;
  const rules = limitRules(services.config.introspection);
  const format = formatError(!production);
  const formatOne = (error: GraphQLError) => format(error.toJSON(), error);
  const wss = new WebSocketServer({
    noServer: true,
    WebSocket: SplicingWebSocket,
    maxPayload: services.config.maxRequestBodyBytes,
    perMessageDeflate: false,
  });
  const socketsByKey = new Map<string, Set<WebSocket>>();

  /** What the portal token of each portal socket says. */
  const portalClaims = new WeakMap<WebSocket, PortalClaims>();

  const dropLater = (socket: WebSocket) => setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  const forbid = (socket: WebSocket, reason: string) => {
    socket.close(CloseCode.Forbidden, reason);
    dropLater(socket);
  };
  const stopRevoked = realtime.hub.onApiKeyRevoked((apiKeyId) => {
    for (const socket of socketsByKey.get(apiKeyId) ?? []) forbid(socket, 'Forbidden: the API key was revoked');
  });
  const stopPortalChanges = services.portal.generations.onChange((tenantId) => {
    for (const socket of socketsByKey.get(portalKeyId(tenantId)) ?? []) {
      const claims = portalClaims.get(socket);
      if (claims && !services.portal.stillAdmits(claims)) forbid(socket, 'Forbidden: the portal token was revoked');
    }
  });

  const sharedSubscribe = createSharedSubscribe({
    audienceOf: (ctx) => (ctx as Context).principal.role,
    contextFor: (ctx) => createContext(services, (ctx as Context).principal),
    formatError: formatOne,
  });

  const disposable = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema,
      isProd: production,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const caller = await authenticate(services, bearerKey(typeof header === 'string' ? header : undefined));
        if ('refused' in caller) return false;
        const { principal, portal } = caller;
        const socket = ctx.extra.socket;
        ctx.extra.principal = principal;
        let sockets = socketsByKey.get(principal.keyId);
        if (!sockets) socketsByKey.set(principal.keyId, (sockets = new Set()));
        sockets.add(socket);
        if (portal) {
          portalClaims.set(socket, portal);
          ctx.extra.cancelExpiry = services.clock.at(portal.expiresAt, () => forbid(socket, 'Forbidden: the portal token expired'));
        }
        return true;
      },
      onClose: (ctx) => {
        ctx.extra.cancelExpiry?.();
        const keyId = ctx.extra.principal?.keyId;
        const sockets = keyId ? socketsByKey.get(keyId) : undefined;
        sockets?.delete(ctx.extra.socket);
        if (keyId && sockets?.size === 0) socketsByKey.delete(keyId);
      },
      onSubscribe: (ctx, _id, payload) => {
        // graphql-ws has already reserved this operation's slot, hence ">".
        if (Object.keys(ctx.subscriptions).length > MAX_OPERATIONS_PER_SOCKET) {
          return [new GraphQLError(`at most ${MAX_OPERATIONS_PER_SOCKET} operations per connection`, { extensions: { code: ErrorCode.BAD_USER_INPUT } })];
        }
        return prepareWsOperation(schema, rules, limits, payload);
      },
      context: (ctx): RealtimeContext => {
        const socket = ctx.extra.socket;
        return {
          ...createContext(services, ctx.extra.principal!),
          realtime: {
            hub: realtime.hub,
            cutOff: () => {
              log.warn({ keyId: ctx.extra.principal?.keyId }, 'subscriber too slow: backlog limit reached, disconnecting');
              socket.close(SLOW_SUBSCRIBER_CLOSE_CODE, 'subscriber too slow: backlog limit exceeded');
              dropLater(socket);
            },
          },
        };
      },
      subscribe: sharedSubscribe,
      // A shared result goes out pre-serialized; anything else (queries over the socket) is
      // formatted here, and a query's answer over the size limit is refused as over HTTP.
      onNext: (_ctx, _id, _payload, args, result) => {
        if (isSharedResult(result)) return preSerializedOf(result) as never;
        if (getOperationAST(args.document, args.operationName)?.operation === 'query' && jsonExceeds(result, limits.maxResponseBytes)) {
          return { errors: [responseTooLarge(limits.maxResponseBytes)] };
        }
        return result.errors ? { ...result, errors: result.errors.map(formatOne) } : undefined;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(formatOne),
    },
    wss,
  );

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== GRAPHQL_WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  let disposing: Promise<void> | undefined;
  const dispose = () =>
    (disposing ??= (async () => {
      server.off('upgrade', onUpgrade);
      stopRevoked();
      stopPortalChanges();
      // graphql-ws says 1001 to everyone and waits for the goodbyes; a socket that
      // does not answer (a stalled reader) is dropped after the grace period.
      const force = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      try {
        await disposable.dispose();
      } finally {
        clearTimeout(force);
      }
    })());

  return {
    dispose,
    drainPlugin: {
      async serverWillStart() {
        return { drainServer: dispose };
      },
    },
  };
}
