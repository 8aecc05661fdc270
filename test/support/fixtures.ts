import assert from 'node:assert/strict';
import type { TestApp } from './app';

/** Creates a destination through the API and returns its id and signing secret. */
export async function createDestination(t: TestApp, input: Record<string, unknown> = {}) {
  const res = await t.gql(
    `mutation($input: DestinationCreateInput!) { destinationCreate(input: $input) { destination { id } signingSecret userErrors { field message code } } }`,
    { input: { name: `dest-${Math.random().toString(36).slice(2)}`, url: 'http://127.0.0.1:9/hooks', ...input } },
  );
  assert.deepEqual(res.data?.destinationCreate.userErrors, [], JSON.stringify(res));
  return { id: res.data.destinationCreate.destination.id as string, signingSecret: res.data.destinationCreate.signingSecret as string };
}

/** Creates a webhook through the API and returns its id. */
export async function createWebhook(t: TestApp, destinationId: string, input: Record<string, unknown> = {}): Promise<string> {
  const res = await t.gql(`mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { webhook { id } userErrors { field message code } } }`, {
    input: { name: `hook-${Math.random().toString(36).slice(2)}`, destinationId, eventTypes: ['*'], ...input },
  });
  assert.deepEqual(res.data?.webhookCreate.userErrors, [], JSON.stringify(res));
  return res.data.webhookCreate.webhook.id;
}

/** Pauses a destination: its deliveries wait (PENDING) instead of being sent. */
export async function pauseDestination(t: TestApp, id: string): Promise<void> {
  const res = await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { userErrors { code } } }`, { id });
  assert.deepEqual(res.data?.destinationUpdate.userErrors, [], JSON.stringify(res));
}

/** Makes an API key with `role` through the API and returns it. */
export async function createKey(t: TestApp, role: 'ADMIN' | 'PUBLISHER' | 'VIEWER'): Promise<string> {
  const res = await t.gql(`mutation($role: Role!) { apiKeyCreate(input: { name: "${role.toLowerCase()}", role: $role }) { key } }`, { role });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data.apiKeyCreate.key;
}
