import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { QueryLimitsConfig } from '../config';
import type { Context } from '../graphql/context';
import { ErrorCode } from '../graphql/errors';
import { operationLimitError } from '../graphql/limits/operation-limits';
import { jsonExceeds, responseTooLarge } from '../graphql/limits/response-size';

/**
 * The limits Apollo cannot apply by configuration: once the operation is known, refuse
 * subscriptions (they are served over graphql-ws) and operations over their list or cost
 * limits (400, nothing executed); once a query has run, refuse an answer over
 * `maxResponseBytes` instead of sending it. A mutation's answer is always sent: the
 * mutation has taken effect, and the cost limit already bounded what it reads back.
 */
export function graphqlLimitsPlugin(limits: QueryLimitsConfig): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, response }) {
          if (!operation) return;
          const error =
            operation.operation === 'subscription'
              ? new GraphQLError('subscriptions are served over graphql-ws (graphql-transport-ws) on this same path', {
                  extensions: { code: ErrorCode.BAD_REQUEST },
                })
              : operationLimitError(schema, document, operation, request.variables, limits);
          if (error) {
            response.http.status = 400;
            throw error;
          }
        },
        async willSendResponse({ operation, response }) {
          if (operation?.operation !== 'query' || response.body.kind !== 'single') return;
          if (jsonExceeds(response.body.singleResult, limits.maxResponseBytes)) {
            response.body.singleResult = { errors: [responseTooLarge(limits.maxResponseBytes)] };
          }
        },
      };
    },
  };
}
