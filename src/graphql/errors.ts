import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { UserError } from '../domain/shared/user-error';

/** The `extensions.code` values of top-level GraphQL errors. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

/**
 * Shapes every error leaving the API: a UserError thrown by a query becomes
 * BAD_USER_INPUT with its field; internal errors are masked unless `exposeInternal`.
 */
export function formatError(exposeInternal: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
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
