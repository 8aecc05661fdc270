import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { source } from './documents';
import { HookgraphError, NetworkError } from './errors';

/** Sends one GraphQL operation and resolves with its `data`. */
export type Request = <Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables) => Promise<Result>;

interface GraphQLResponse {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * GraphQL over HTTP POST with `fetch` (global in Node 18+ and browsers). A failure to
 * connect or to read the answer is a NetworkError; GraphQL errors are a HookgraphError
 * with the first error's code; `data` is returned only when there are no errors.
 */
export function httpTransport(endpoint: string, key: string | undefined, fetchImpl: typeof fetch = globalThis.fetch): Request {
  return async (document, variables) => {
    let response: Response;
    let body: GraphQLResponse;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query: source(document), variables }),
      });
      const text = await response.text();
      try {
        body = JSON.parse(text) as GraphQLResponse;
      } catch {
        throw new HookgraphError(`HTTP ${response.status}: ${text.slice(0, 200) || response.statusText}`, `HTTP_${response.status}`, response.status);
      }
    } catch (error) {
      if (error instanceof HookgraphError) throw error;
      throw new NetworkError(`cannot reach ${endpoint}: ${describe(error)}`, { cause: error });
    }
    const [first] = body.errors ?? [];
    if (first) throw new HookgraphError(first.message, first.extensions?.code ?? `HTTP_${response.status}`, response.status);
    if (!response.ok || body.data == null) throw new HookgraphError(`HTTP ${response.status} without data`, `HTTP_${response.status}`, response.status);
    return body.data as never;
  };
}

/** fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, a reset) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : null;
  const code = cause && 'code' in cause ? String(cause.code) : null;
  return cause ? `${error.message} (${code ?? cause.message})` : error.message;
}
