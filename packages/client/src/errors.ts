/**
 * A request that did not get an answer the client can hand back: the server refused it
 * (bad key, wrong role, invalid query) or answered with GraphQL errors. Business failures
 * are not errors: they come back as the payload's `userErrors`.
 */
export class HookgraphError extends Error {
  constructor(
    message: string,
    /** The GraphQL `extensions.code` (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, …) or `HTTP_<status>`. */
    readonly code: string,
    /** The HTTP status, when there was a response. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HookgraphError';
  }
}

/** The server could not be reached or the connection broke: worth trying again. */
export class NetworkError extends HookgraphError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'NETWORK', undefined, options);
    this.name = 'NetworkError';
  }
}

/** Codes that mean the key is missing, unknown, revoked or lacks the role. */
export const AUTH_CODES: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'HTTP_401', 'HTTP_403']);
