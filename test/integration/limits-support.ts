import assert from 'node:assert/strict';
import type { ReceivedRequest } from '../support/receiver';
import type { Route } from './dispatch-support';

/** Shared steps of the destination-limits suites. */

/** What both the in-process test app and a child process answer GraphQL with. */
export interface GraphQLClient {
  gql(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: unknown }>;
}

/** Publishes `n` events of the route's type at once (one batch), returning their deliveries' ids. */
export async function publishMany(t: GraphQLClient, r: Pick<Route, 'type' | 'destinationId'>, n: number): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({ i }));
  const res = await t.gql(
    `mutation($type: String!, $rows: [JSON!]!) { eventPublishBatch(input: { type: $type, syncMode: APPEND, rows: $rows }) { events { id } userErrors { message } } }`,
    { type: r.type, rows },
  );
  if (res.errors || res.data!.eventPublishBatch.userErrors.length) throw new Error(JSON.stringify(res.errors ?? res.data!.eventPublishBatch.userErrors));
  const list = await t.gql(`query($d: ID!) { deliveries(first: 100, filter: { destinationId: $d }) { nodes { id } } }`, { d: r.destinationId });
  const ids = list.data!.deliveries.nodes.map((d: { id: string }) => d.id);
  assert.ok(ids.length >= n, `${ids.length} deliveries for ${n} events`);
  return ids;
}

/**
 * The token bucket as seen by the receiver: between any two requests, at most `burst`
 * plus one per interval elapsed went out. `slackMs` allows for the time between a
 * claim (where tokens are taken) and the request's arrival.
 */
export function assertPaced(requests: ReceivedRequest[], perSecond: number, burst: number, slackMs: number): void {
  const interval = 1000 / perSecond;
  const at = requests.map((r) => r.at).sort((a, b) => a - b);
  for (let i = 0; i < at.length; i++) {
    for (let j = i + 1; j < at.length; j++) {
      const allowed = burst + Math.floor((at[j]! - at[i]! + slackMs) / interval);
      if (j - i + 1 > allowed) {
        const times = at.map((t) => t - at[0]!).join(' ');
        assert.fail(`${j - i + 1} requests within ${at[j]! - at[i]!} ms (the ${i + 1}st to the ${j + 1}th); the bucket allows ${allowed}. Arrivals (ms): ${times}`);
      }
    }
  }
}
