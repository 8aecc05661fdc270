import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { LATENCY_BUCKET_FLOORS_MS, latencyBucket } from '../../src/domain/stats/latency-histogram';
import { MINUTE } from '../../src/domain/common/time';
import { STATS_TABLES } from '../../src/sql/stats-columns';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { portalAccess } from '../support/portal';
import { publish } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { readDelivery, terminal, waitDelivery } from './dispatch-support';

const STATS = 'attempts successes failures successRate p50Ms p95Ms bucketSeconds series { start attempts successes failures successRate p50Ms p95Ms }';

interface Bucket {
  start: string;
  attempts: number;
  successes: number;
  failures: number;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}
interface Stats extends Omit<Bucket, 'start'> {
  bucketSeconds: number;
  series: Bucket[];
}

async function ok<T = any>(t: TestApp, query: string, variables: Record<string, unknown> = {}, key?: string): Promise<T> {
  const res = await t.gql(query, variables, key);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data as T;
}

async function tenantWithKey(t: TestApp, uid: string): Promise<string> {
  await ok(t, `mutation($u: String!) { tenantCreate(input: { uid: $u }) { tenant { id } } }`, { u: uid });
  return (await ok(t, `mutation($t: String!) { apiKeyCreate(input: { name: "k", role: ADMIN, tenant: $t }) { key } }`, { t: uid })).apiKeyCreate.key;
}

/** A destination of the key's tenant that gets every `<name>.*` event, tried once. */
async function destination(t: TestApp, key: string, name: string, url: string): Promise<string> {
  const d = await ok(
    t,
    `mutation($n: String!, $u: String!) { destinationCreate(input: { name: $n, url: $u, retryPolicy: { maxAttempts: 1 } }) { destination { id } } }`,
    { n: name, u: url },
    key,
  );
  const id = d.destinationCreate.destination.id;
  await ok(
    t,
    `mutation($d: ID!, $p: String!) { webhookCreate(input: { name: $p, destinationId: $d, eventTypes: [$p] }) { webhook { id } } }`,
    { d: id, p: `${name}.*` },
    key,
  );
  return id;
}

/** Publishes one `<name>.sent` event as the key's tenant and returns its delivery's attempt once it finished. */
async function deliverOne(t: TestApp, key: string, name: string): Promise<{ createdAt: string; durationMs: number; outcome: string }> {
  const { deliveryId } = await publish(t, { type: `${name}.sent` }, key);
  await waitDelivery(t, deliveryId, terminal);
  const [attempt] = (await readDelivery(t, deliveryId)).attempts.nodes;
  return attempt!;
}

/** The bounds of the histogram bucket holding `ms`: where an estimate of it must lie. */
function bucketBounds(ms: number): [number, number] {
  const i = latencyBucket(ms);
  return [LATENCY_BUCKET_FLOORS_MS[i]!, LATENCY_BUCKET_FLOORS_MS[i + 1] ?? Infinity];
}

function nearestRank(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil(q * sorted.length), 1) - 1]!;
}

const sum = (series: Bucket[], field: 'attempts' | 'successes' | 'failures') => series.reduce((n, b) => n + b[field], 0);

forEachDatabase('attempt statistics', (ctx) => {
  const receiver = useReceiver();
  let a: string;
  let b: string;
  let orders: string;
  let billing: string;
  let other: string;
  const attempts: { createdAt: string; durationMs: number; outcome: string }[] = [];
  let startedAt: number;

  before(async () => {
    const t = ctx();
    startedAt = Date.now();
    a = await tenantWithKey(t, 'stats-a');
    b = await tenantWithKey(t, 'stats-b');
    orders = await destination(t, a, 'orders', `${receiver.url}/orders`);
    billing = await destination(t, a, 'billing', `${receiver.url}/billing`);
    other = await destination(t, b, 'other', `${receiver.url}/other`);
    // orders: three quick successes and a slow failure.
    for (let i = 0; i < 3; i++) attempts.push(await deliverOne(t, a, 'orders'));
    receiver.behave({ kind: 'status', status: 500, delayMs: 150 });
    attempts.push(await deliverOne(t, a, 'orders'));
    receiver.behave({ kind: 'status', status: 200 });
    // billing: two successes; the other tenant: one.
    await deliverOne(t, a, 'billing');
    await deliverOne(t, a, 'billing');
    await deliverOne(t, b, 'other');
  });

  const window = () => ({ since: new Date(startedAt - 5_000).toISOString(), until: new Date(Date.now() + 1_000).toISOString() });

  it('counts a destination’s attempts, success rate and latency percentiles as the receiver answered', async () => {
    const t = ctx();
    const data = await ok(
      t,
      `query($id: ID!, $s: DateTimeISO!, $u: DateTimeISO!) { node(id: $id) { ... on Destination { stats(since: $s, until: $u) { ${STATS} } } } }`,
      {
        id: orders,
        s: window().since,
        u: window().until,
      },
    );
    const stats: Stats = data.node.stats;
    assert.deepEqual(
      { attempts: stats.attempts, successes: stats.successes, failures: stats.failures, successRate: stats.successRate },
      { attempts: 4, successes: 3, failures: 1, successRate: 0.75 },
    );
    assert.deepEqual(
      attempts.map((x) => x.outcome),
      ['SUCCESS', 'SUCCESS', 'SUCCESS', 'HTTP_ERROR'],
    );
    const durations = attempts.map((x) => x.durationMs);
    assert.ok(durations[3]! >= 150, 'the failure waited for its answer');
    for (const [q, estimate] of [
      [0.5, stats.p50Ms],
      [0.95, stats.p95Ms],
    ] as const) {
      const [floor, ceiling] = bucketBounds(nearestRank(durations, q));
      assert.ok(
        estimate !== null && estimate >= floor && estimate <= ceiling,
        `p${q * 100} ${estimate} within [${floor}, ${ceiling}] (${durations.join(', ')})`,
      );
    }
    assert.ok(stats.p95Ms! >= 128, 'p95 is the slow failure');

    // A bucket per minute: each holds the attempts made in it, and they add up to the totals.
    assert.equal(stats.bucketSeconds, 60);
    const starts = stats.series.map((s) => Date.parse(s.start));
    assert.ok(
      starts.every((s, i) => s % MINUTE === 0 && (i === 0 || s - starts[i - 1]! === MINUTE)),
      'consecutive minutes',
    );
    for (const bucket of stats.series) {
      const start = Date.parse(bucket.start);
      const made = attempts.filter((x) => Date.parse(x.createdAt) >= start && Date.parse(x.createdAt) < start + MINUTE);
      assert.equal(bucket.attempts, made.length, `bucket ${bucket.start}`);
      assert.equal(bucket.successes, made.filter((x) => x.outcome === 'SUCCESS').length);
      assert.equal(bucket.p50Ms === null, made.length === 0, 'no latency without attempts');
    }
    assert.equal(sum(stats.series, 'attempts'), 4);
    assert.equal(sum(stats.series, 'failures'), 1);

    // Longer than two hours: a bucket per hour.
    const day = await ok(
      t,
      `query($id: ID!, $s: DateTimeISO!, $u: DateTimeISO!) { node(id: $id) { ... on Destination { stats(since: $s, until: $u) { ${STATS} } } } }`,
      {
        id: orders,
        s: new Date(Date.now() - 86_400_000).toISOString(),
        u: new Date().toISOString(),
      },
    );
    assert.equal(day.node.stats.bucketSeconds, 3600);
    assert.ok(day.node.stats.series.length >= 24 && day.node.stats.series.length <= 25);
    assert.equal(sum(day.node.stats.series, 'attempts'), 4);
    assert.equal(day.node.stats.attempts, 4);
  });

  it('sums a tenant’s destinations in Tenant.stats, and shows a tenant only its own', async () => {
    const t = ctx();
    const query = `query($uid: String!, $s: DateTimeISO!, $u: DateTimeISO!) { tenant(uid: $uid) { stats(since: $s, until: $u) { attempts successes failures series { attempts } } } }`;
    const w = { s: window().since, u: window().until };
    const own = await ok(t, query, { uid: 'stats-a', ...w }, a);
    assert.deepEqual({ ...own.tenant.stats, series: undefined }, { attempts: 6, successes: 5, failures: 1, series: undefined });
    assert.equal(sum(own.tenant.stats.series, 'attempts'), 6);
    assert.equal((await ok(t, query, { uid: 'stats-b', ...w }, a)).tenant, null, "another tenant's key does not reach it");
    assert.equal((await ok(t, query, { uid: 'stats-b', ...w }, b)).tenant.stats.attempts, 1);
    assert.equal((await ok(t, query, { uid: 'stats-b', ...w })).tenant.stats.attempts, 1, 'a key of the whole installation reads any');

    // A portal token of the tenant reads its destinations' statistics, never another's.
    const { token } = await portalAccess(t, 'stats-a', 'VIEWER');
    const destinationStats = `query($id: ID!, $s: DateTimeISO!, $u: DateTimeISO!) { node(id: $id) { ... on Destination { stats(since: $s, until: $u) { attempts } } } }`;
    assert.equal((await ok(t, destinationStats, { id: billing, ...w }, token)).node.stats.attempts, 2);
    assert.equal((await ok(t, destinationStats, { id: other, ...w }, token)).node, null);
    assert.equal((await ok(t, destinationStats, { id: other, ...w }, b)).node.stats.attempts, 1);
  });

  it('deletes a tenant’s statistics with the tenant', async () => {
    const t = ctx();
    const key = await tenantWithKey(t, 'stats-gone');
    await destination(t, key, 'gone', `${receiver.url}/gone`);
    await deliverOne(t, key, 'gone');
    const tenantId = (await ok(t, `{ tenant(uid: "stats-gone") { id } }`)).tenant.id;
    const rows = async () => {
      let n = 0;
      for (const table of STATS_TABLES) {
        n += Number(
          ((await t.app.services.db.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [tenantId])) as { n: number | string }[])[0]!.n,
        );
      }
      return n;
    };
    assert.equal(await rows(), 2, 'its minute and its hour');
    await ok(t, `mutation($id: ID!) { tenantDelete(id: $id) { userErrors { code } } }`, { id: tenantId });
    await eventually(async () => (await ok(t, `{ tenant(uid: "stats-gone") { id } }`)).tenant === null, 15_000, 100);
    assert.equal(await rows(), 0);
  });

  it('refuses a window that is empty, reversed or longer than 31 days, saying why', async () => {
    const t = ctx();
    const query = `query($id: ID!, $s: DateTimeISO!, $u: DateTimeISO!) { node(id: $id) { ... on Destination { stats(since: $s, until: $u) { attempts } } } }`;
    for (const [s, u, message] of [
      ['2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', /until must be later than since/],
      ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', /until must be later than since/],
      ['2026-01-01T00:00:00Z', '2026-02-02T00:00:00Z', /at most 31 days/],
    ] as const) {
      const res = await t.gql(query, { id: orders, s, u });
      assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(res.errors));
      assert.match(res.errors![0]!.message, message);
    }
    const notDate = await t.gql(query, { id: orders, s: 'yesterday', u: '2026-01-01T00:00:00Z' });
    assert.ok(notDate.errors?.length, 'a value that is no date is refused');
  });
});
