import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { UserError } from '../domain/common/user-error';

/** The `extensions.code` values of top-level GraphQL errors. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** A request that is not a GraphQL operation this transport serves (e.g. a subscription over HTTP). */
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** The query's text is longer, or has more tokens, than allowed. */
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
  /** The query's estimated cost is above the limit. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The answer would be larger than allowed; nothing of it is sent. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
} as const;

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

/** graphql-js ends a message with its guesses at what was meant: names from the schema. */
const SUGGESTION = / ?Did you mean .+\?$/s;

/**
 * Shapes every error leaving the API, over HTTP and graphql-ws: a UserError thrown by a
 * query becomes BAD_USER_INPUT with its field. Unless `exposeInternal` (development),
 * internal errors are masked and "Did you mean …?" suggestions, which reveal the schema
 * with introspection off, are cut; Apollo's own option for that covers only validation
 * over HTTP, not variable values nor graphql-ws.
 */
export function formatError(exposeInternal: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (!exposeInternal && SUGGESTION.test(formatted.message)) {
      formatted = { ...formatted, message: formatted.message.replace(SUGGESTION, '') };
    }
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof UserError) {
      return {
        ...formatted,
        message: original.field ? `${original.field.join('.')}: ${original.message}` : original.message,
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: original.field, reason: original.code },
      };
    }
    const code = formatted.extensions?.code;
    if ((code === ErrorCode.INTERNAL_SERVER_ERROR || code === undefined) && original && !exposeInternal) {
      return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
    return formatted;
  };
}
