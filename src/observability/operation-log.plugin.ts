import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context';
import type { Logger } from '../logger';

/**
 * One log line per GraphQL operation over HTTP: its name and type, how long it took, the
 * key that called (its id, never the key), and the error codes it answered with. Never
 * the variables or the query's values: they may hold secrets and customers' data.
 */
export function operationLogPlugin(log: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      if (!log.isLevelEnabled('info')) return;
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, response, errors }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          const codes = [...new Set((errors ?? body?.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          log.info(
            {
              operation: operationName ?? operation?.name?.value ?? null,
              type: operation?.operation ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              keyId: contextValue.principal.keyId,
              tenantId: contextValue.principal.tenantId ?? undefined,
              errors: codes.length ? codes : undefined,
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
