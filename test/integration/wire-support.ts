import type { TestApp } from '../support/app';

/** Shared steps of the wire-format suites: a destination (its secret kept) and a webhook on it. */

let counter = 0;

export interface WireRoute {
  destinationId: string;
  webhookId: string;
  type: string;
  /** The Standard Webhooks secret, as shown once at creation. */
  signingSecret: string;
}

export async function wireRoute(
  app: TestApp,
  url: string,
  destination: Record<string, unknown> = {},
  webhook: Record<string, unknown> = {},
): Promise<WireRoute> {
  counter += 1;
  const type = `wire${counter}.happened`;
  const d = await app.gql(
    `mutation($input: DestinationCreateInput!) { destinationCreate(input: $input) { destination { id } signingSecret userErrors { field message code } } }`,
    { input: { name: `wire-dest-${counter}`, url, ...destination } },
  );
  if (d.errors || d.data.destinationCreate.userErrors.length) throw new Error(JSON.stringify(d.errors ?? d.data.destinationCreate.userErrors));
  const destinationId = d.data.destinationCreate.destination.id;
  const w = await app.gql(`mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { webhook { id } userErrors { field message } } }`, {
    input: { name: `wire-hook-${counter}`, destinationId, eventTypes: [type], ...webhook },
  });
  if (w.errors || w.data.webhookCreate.userErrors.length) throw new Error(JSON.stringify(w.errors ?? w.data.webhookCreate.userErrors));
  return { destinationId, webhookId: w.data.webhookCreate.webhook.id, type, signingSecret: d.data.destinationCreate.signingSecret };
}
