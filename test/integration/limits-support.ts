import assert from 'node:assert/strict';
import type { Client } from 'graphql-ws';
import { publishBatch, type GraphQLClient } from '../support/publish';
import { connected, subscribe, wsClient, type Stream } from '../support/ws-client';
import type { Route } from './dispatch-support';

/** Shared steps of the destination-limits suites. */

/** Publishes `n` events of the route's type at once (one batch), returning their deliveries' ids. */
export async function publishMany(t: GraphQLClient, r: Pick<Route, 'type' | 'destinationId'>, n: number): Promise<string[]> {
  await publishBatch(t, { type: r.type, syncMode: 'APPEND', rows: Array.from({ length: n }, (_, i) => ({ i })) });
  const list = await t.gql(`query($d: ID!) { deliveries(first: 100, filter: { destinationId: $d }) { nodes { id } } }`, { d: r.destinationId });
  const ids = list.data!.deliveries.nodes.map((d: { id: string }) => d.id);
  assert.ok(ids.length >= n, `${ids.length} deliveries for ${n} events`);
  return ids;
}

/**
 * When each delivery of a destination was claimed, as the claim itself timed it: the
 * IN_FLIGHT change the dispatcher announces carries the time the claim took its tokens
 * with. The pace is decided there; what happens after (loading, the request's trip) adds
 * jitter a receiver's clock would see, and the machine's speed with it.
 */
export class ClaimTimes {
  private readonly seen = new Map<string, { claims: number[]; succeededAt: number | null }>();
  private constructor(private readonly watched: { client: Client; stream: Stream<DeliveryChange> }[]) {}

  /**
   * Listening before anything is published (the subscriptions are live when this
   * resolves), to each process that claims: each announces its own claims.
   */
  static async watch(apps: { url: string } | { url: string }[], key: string, destinationId: string): Promise<ClaimTimes> {
    const watched = (Array.isArray(apps) ? apps : [apps]).map((app) => {
      const client = wsClient(app.url, key);
      const stream = subscribe<DeliveryChange>(client, `subscription($d: ID) { deliveryUpdated(filter: { destinationId: $d }) { id status updatedAt } }`, {
        d: destinationId,
      });
      return { client, stream };
    });
    await Promise.all(watched.map((w) => connected(w.client)));
    return new ClaimTimes(watched);
  }

  /**
   * The times of the claims that sent a delivery, for those that succeeded so far, in
   * order: a delivery's last claim before its success. (A claim that gave its delivery
   * back unsent, say to its line, took no token.)
   */
  times(): number[] {
    for (const { stream } of this.watched) {
      for (const result of stream.buffered.splice(0)) {
        const d = result.data!.deliveryUpdated;
        const at = Date.parse(d.updatedAt);
        const seen = this.seen.get(d.id) ?? { claims: [], succeededAt: null };
        if (d.status === 'IN_FLIGHT') seen.claims.push(at);
        if (d.status === 'SUCCEEDED') seen.succeededAt = at;
        this.seen.set(d.id, seen);
      }
    }
    const sent: number[] = [];
    for (const { claims, succeededAt } of this.seen.values()) {
      if (succeededAt === null) continue;
      const before = claims.filter((at) => at <= succeededAt);
      if (before.length) sent.push(Math.max(...before));
    }
    return sent.sort((a, b) => a - b);
  }

  async stop(): Promise<void> {
    for (const { client, stream } of this.watched) {
      stream.stop();
      await client.dispose();
    }
  }
}

type DeliveryChange = { deliveryUpdated: { id: string; status: string; updatedAt: string } };

/**
 * The token bucket as the claims saw it: between any two claims, at most `burst` plus
 * one per interval elapsed were taken.
 */
export function assertPaced(claims: number[], perSecond: number, burst: number): void {
  const interval = 1000 / perSecond;
  const at = [...claims].sort((a, b) => a - b);
  for (let i = 0; i < at.length; i++) {
    for (let j = i + 1; j < at.length; j++) {
      const allowed = burst + Math.floor((at[j]! - at[i]!) / interval);
      if (j - i + 1 > allowed) {
        const times = at.map((t) => t - at[0]!).join(' ');
        assert.fail(`${j - i + 1} claims within ${at[j]! - at[i]!} ms (the ${i + 1}st to the ${j + 1}th); the bucket allows ${allowed}. Claims (ms): ${times}`);
      }
    }
  }
}
