import assert from 'node:assert/strict';

/** What the in-process test app and a child process both answer GraphQL with. */
export interface GraphQLClient {
  gql(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<{ data?: any; errors?: unknown }>;
}

/** EventPublishInput: `type` and whatever else the test sets (data, entityId, idempotencyKey, orderingKey, …). */
export type PublishInput = { type: string } & Record<string, unknown>;

export const PUBLISH = `mutation($input: EventPublishInput!) {
  eventPublish(input: $input) { event { id type entityId data idempotencyKey source } deliveries { id status webhookId destinationId } replayed userErrors { field message code } }
}`;

export interface Published {
  event: { id: string; type: string; data: unknown; source: string };
  deliveries: { id: string; status: string; webhookId: string; destinationId: string }[];
  replayed: boolean;
  userErrors: { field: string[]; message: string; code: string }[];
  /** The event's id; a publish that stored none fails the test here. */
  readonly eventId: string;
  /** The id of the one delivery it made; a publish that made none, or several, fails the test here. */
  readonly deliveryId: string;
}

/**
 * Publishes one event through the API, as `key` (the admin key unless given). Top-level
 * errors fail the test; userErrors are returned for the test to check.
 */
export async function publish(t: GraphQLClient, input: PublishInput, key?: string): Promise<Published> {
  const res = await t.gql(PUBLISH, { input }, key);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const payload = res.data.eventPublish as Omit<Published, 'eventId' | 'deliveryId'>;
  // Not enumerable: a test comparing the whole payload sees only what the API answered.
  return Object.defineProperties(payload, {
    eventId: {
      get: () => {
        assert.ok(payload.event, `no event stored: ${JSON.stringify(payload.userErrors)}`);
        return payload.event.id;
      },
    },
    deliveryId: {
      get: () => {
        assert.equal(payload.deliveries.length, 1, `expected one delivery, got ${JSON.stringify(payload)}`);
        return payload.deliveries[0]!.id;
      },
    },
  }) as Published;
}

/** EventPublishBatchInput: one event per row. */
export interface PublishBatchInput {
  type: string;
  syncMode: 'UPSERT' | 'MIRROR' | 'APPEND' | 'CREATE' | 'DELETE';
  rows: unknown[];
  entityIdField?: string;
}

/** Publishes a batch through the API; any error fails the test. Returns the events' ids, in row order. */
export async function publishBatch(t: GraphQLClient, input: PublishBatchInput, key?: string): Promise<string[]> {
  const res = await t.gql(
    `mutation($input: EventPublishBatchInput!) { eventPublishBatch(input: $input) { events { id } userErrors { field message code } } }`,
    { input },
    key,
  );
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.deepEqual(res.data.eventPublishBatch.userErrors, []);
  return res.data.eventPublishBatch.events.map((e: { id: string }) => e.id);
}
