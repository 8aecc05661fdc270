import * as ops from './generated/graphql';
import { httpTransport, type Request } from './http-transport';
import { retryOnNetworkError, type RetryOptions } from './retry';
import { subscriptionTransport, type Sink, type SubscriptionOptions } from './subscriptions';

export interface ClientOptions extends SubscriptionOptions {
  /** The server (`http://127.0.0.1:4000`) or its GraphQL endpoint (`…/graphql`). */
  url: string;
  /** An API key, sent as `Authorization: Bearer <key>` and in graphql-ws `connection_init`. */
  key?: string;
  /** Default the global fetch (Node 18+, browsers). */
  fetch?: typeof fetch;
  /** How a publish with an idempotency key is tried again after a network error. */
  retry?: RetryOptions;
}

export interface Page {
  /** 1–100; the server's default when absent. */
  first?: number;
  after?: string;
}

/** `http://host:port` and `http://host:port/` mean `http://host:port/graphql`. */
export function graphqlEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/graphql') ? trimmed : `${trimmed}/graphql`;
}

/**
 * A typed client for hookgraph's GraphQL API. Every method resolves with the mutation's
 * payload or the query's connection, `userErrors` included as values; a request the server
 * refuses or cannot answer throws a HookgraphError (a NetworkError when it was not reached).
 */
export function createClient(options: ClientOptions) {
  const endpoint = graphqlEndpoint(options.url);
  const request: Request = httpTransport(endpoint, options.key, options.fetch);
  const socket = subscriptionTransport(endpoint, options.key, options);
  /** Only a request that is safe to repeat is repeated: the server replays an idempotency key. */
  const sendIdempotent = <T>(idempotent: boolean, send: () => Promise<T>) => (idempotent ? retryOnNetworkError(send, options.retry) : send());

  return {
    /** Any operation, typed by its generated document. */
    request,

    async publish(input: ops.EventPublishInput) {
      return (await sendIdempotent(!!input.idempotencyKey, () => request(ops.EventPublishDocument, { input }))).eventPublish;
    },

    /** Rows of one type, or `events` each a publish of its own (`results` says what became of each). */
    async publishBatch(input: ops.EventPublishBatchInput) {
      const idempotent = !!input.events?.length && input.events.every((e) => !!e.idempotencyKey);
      return (await sendIdempotent(idempotent, () => request(ops.EventPublishBatchDocument, { input }))).eventPublishBatch;
    },

    keys: {
      list: async (page: Page = {}) => (await request(ops.ApiKeysDocument, page)).apiKeys,
      create: async (input: ops.ApiKeyCreateInput) => (await request(ops.ApiKeyCreateDocument, { input })).apiKeyCreate,
      revoke: async (id: string) => (await request(ops.ApiKeyRevokeDocument, { id })).apiKeyRevoke,
    },

    destinations: {
      list: async (page: Page = {}) => (await request(ops.DestinationsDocument, page)).destinations,
      create: async (input: ops.DestinationCreateInput) => (await request(ops.DestinationCreateDocument, { input })).destinationCreate,
      /** Sends a sample (or `data`) now and returns the delivery and its attempt. */
      test: async (id: string, sample: { eventType?: string; data?: unknown } = {}) =>
        (await request(ops.DestinationTestDocument, { id, ...sample })).destinationTest,
    },

    webhooks: {
      list: async (page: Page & { destinationId?: string } = {}) => (await request(ops.WebhooksDocument, page)).webhooks,
      create: async (input: ops.WebhookCreateInput) => (await request(ops.WebhookCreateDocument, { input })).webhookCreate,
    },

    deliveries: {
      list: async (filter: ops.DeliveryFilter = {}, page: Page = {}) => (await request(ops.DeliveriesDocument, { filter, ...page })).deliveries,
    },

    /** Queues one FAILED or CANCELLED delivery again. */
    retry: async (id: string) => (await request(ops.DeliveryRetryDocument, { id })).deliveryRetry,

    /** Queues again every FAILED or CANCELLED delivery the filter selects, in the background; `dryRun` only counts. */
    retryMany: async (filter: ops.DeliveryRetryFilter, { dryRun = false } = {}) =>
      (await request(ops.DeliveriesRetryDocument, { filter, dryRun })).deliveriesRetry,

    /** Every change of a delivery the filter selects, live. The returned function stops it. */
    subscribeDeliveries(
      filter: ops.DeliveryFilter | null,
      onChange: (delivery: ops.DeliveryFieldsFragment) => void,
      handlers: Omit<Sink<unknown>, 'next'> = {},
    ) {
      return socket.subscribe(ops.DeliveryUpdatedDocument, { filter }, { ...handlers, next: (data) => onChange(data.deliveryUpdated) });
    },

    /** Bulk jobs (retry, recover, replay), newest first; only those in `status` when given. */
    jobs: {
      /** One job; null when there is none (or it is another tenant's). */
      get: async (id: string) => (await request(ops.BulkJobDocument, { id })).bulkJob,
      list: async (status: ops.BulkJobStatus[] | null = null, page: Page = {}) => (await request(ops.BulkJobsDocument, { status, ...page })).bulkJobs,
      /** Queues again the destination's FAILED deliveries created in [since, until) as a job; `dryRun` only counts them. */
      recover: async (destinationId: string, window: { since: Date; until?: Date | null }, { dryRun = false } = {}) =>
        (
          await request(ops.DestinationRecoverDocument, {
            id: destinationId,
            since: window.since.toISOString(),
            until: window.until?.toISOString() ?? null,
            dryRun,
          })
        ).destinationRecover,
      /** Stops a QUEUED or RUNNING job after its current batch. */
      cancel: async (id: string) => (await request(ops.BulkJobCancelDocument, { id })).bulkJobCancel,
    },

    /** One bulk job as it changes, its stored state first, until it ends. The returned function stops it. */
    subscribeJob(id: string, onProgress: (job: ops.BulkJobFieldsFragment) => void, handlers: Omit<Sink<unknown>, 'next'> = {}) {
      return socket.subscribe(ops.BulkJobProgressDocument, { id }, { ...handlers, next: (data) => onProgress(data.bulkJobProgress) });
    },

    /** Progress of one bulk retry, until it is `finished`. The returned function stops it. */
    subscribeBulkRetry(id: string, onProgress: (job: ops.BulkRetryFieldsFragment) => void, handlers: Omit<Sink<unknown>, 'next'> = {}) {
      return socket.subscribe(ops.BulkRetryProgressDocument, { id }, { ...handlers, next: (data) => onProgress(data.bulkRetryProgress) });
    },

    /** Closes the subscription socket; HTTP requests need no cleanup. */
    dispose: () => socket.dispose(),
  };
}

export type HookgraphClient = ReturnType<typeof createClient>;
