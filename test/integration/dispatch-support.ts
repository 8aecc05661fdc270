import assert from 'node:assert/strict';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import type { Stream } from '../support/ws-client';

/** Shared steps of the dispatch suites: a destination + webhook per case, await a state. */

let counter = 0;

export interface Route {
  destinationId: string;
  webhookId: string;
  type: string;
}

export async function route(app: TestApp, url: string, destination: Record<string, unknown> = {}): Promise<Route> {
  counter += 1;
  const type = `case${counter}.happened`;
  const d = await app.gql(
    `mutation($input: DestinationCreateInput!) { destinationCreate(input: $input) { destination { id } userErrors { field message } } }`,
    { input: { name: `dest-${counter}`, url, ...destination } },
  );
  if (d.errors || d.data.destinationCreate.userErrors.length) throw new Error(JSON.stringify(d.errors ?? d.data.destinationCreate.userErrors));
  const destinationId = d.data.destinationCreate.destination.id;
  const w = await app.gql(`mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { webhook { id } userErrors { field message } } }`, {
    input: { name: `hook-${counter}`, destinationId, eventTypes: [type] },
  });
  if (w.errors || w.data.webhookCreate.userErrors.length) throw new Error(JSON.stringify(w.errors ?? w.data.webhookCreate.userErrors));
  return { destinationId, webhookId: w.data.webhookCreate.webhook.id, type };
}

export const DELIVERY_FIELDS = `id status trigger attemptCount lastStatusCode lastError nextAttemptAt
  event { id type }
  attempts(first: 50) { nodes { attemptNumber createdAt outcome responseStatusCode responseTruncated responseBody error durationMs
    requestHeaders { name value } signatureBaseString } }`;

export interface DeliveryView {
  id: string;
  status: string;
  trigger: string;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  event: { id: string; type: string };
  attempts: {
    nodes: {
      attemptNumber: number;
      createdAt: string;
      outcome: string;
      responseStatusCode: number | null;
      responseTruncated: boolean;
      responseBody: string | null;
      error: string | null;
      durationMs: number;
      requestHeaders: { name: string; value: string }[];
      signatureBaseString: string | null;
    }[];
  };
}

export async function readDelivery(app: TestApp, id: string): Promise<DeliveryView> {
  const res = await app.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { ${DELIVERY_FIELDS} } } }`, { id });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.node;
}

export function waitDelivery(app: TestApp, id: string, until: (d: DeliveryView) => boolean, timeoutMs = 10_000): Promise<DeliveryView> {
  return eventually(
    async () => {
      const d = await readDelivery(app, id);
      return until(d) ? d : null;
    },
    timeoutMs,
    50,
  );
}

export const terminal = (d: DeliveryView) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(d.status);

/** Statuses of one delivery as a deliveryUpdated subscriber sees them, in order, until `last`. */
export async function deliveryStatuses(stream: Stream<{ deliveryUpdated: { id: string; status: string } }>, id: string, last: string): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const r = await stream.next(15_000);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const d = r.data!.deliveryUpdated;
    if (d.id !== id) continue;
    seen.push(d.status);
    if (d.status === last) return seen;
  }
}
