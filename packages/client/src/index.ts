// @hookgraph/client: a typed client for hookgraph's GraphQL API.
export { createClient, graphqlEndpoint, type ClientOptions, type HookgraphClient, type Page } from './client';
export { AUTH_CODES, HookgraphError, NetworkError } from './errors';
export { DEFAULT_RETRY_DELAYS_MS, retryOnNetworkError, type RetryOptions } from './retry';
export type { Sink, SubscriptionOptions } from './subscriptions';
export type { Request } from './http-transport';
export * from './generated/graphql';
