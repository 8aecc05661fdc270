import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { postRaw } from '../support/inbound';
import { publish } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';

const METRICS_TOKEN = 'metrics-token-0123456789';

/** The log's JSON lines, as the app wrote them. */
const lines: Record<string, unknown>[] = [];
const logTo = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };

/** A metric's samples from the exposition text: `name{labels} value` → value, by label text. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) found.set(match[1] ?? '', Number(match[2]));
  }
  return found;
}

async function scrape(t: TestApp): Promise<string> {
  const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  return res.text();
}

forEachDatabase(
  'metrics and logs',
  (ctx) => {
    const receiver = useReceiver();

    it('/metrics counts deliveries by outcome and times every attempt and publish; it needs its token', async () => {
      const t = ctx();
      receiver.reset();
      assert.equal((await fetch(`${t.url}/metrics`)).status, 401, 'HOOKGRAPH_METRICS_TOKEN is required when set');
      const before = await scrape(t);
      const ok = await createDestination(t, { url: `${receiver.url}/ok` });
      const refused = await createDestination(t, { url: `${receiver.url}/refused`, retryPolicy: { maxAttempts: 1 } });
      await createWebhook(t, ok.id, { eventTypes: ['metrics.ok'] });
      await createWebhook(t, refused.id, { eventTypes: ['metrics.refused'] });
      receiver.script({ kind: 'status', status: 400 }, { kind: 'status', status: 400 });
      // The two 400s go to the first two requests: publish the refused ones first, alone.
      const failed = [await publish(t, { type: 'metrics.refused' }), await publish(t, { type: 'metrics.refused' })];
      for (const p of failed)
        await eventually(
          async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status } } }`, { id: p.deliveryId })).data.node.status === 'FAILED',
        );
      const succeeded = await Promise.all([1, 2, 3].map(() => publish(t, { type: 'metrics.ok' })));
      for (const p of succeeded)
        await eventually(
          async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status } } }`, { id: p.deliveryId })).data.node.status === 'SUCCEEDED',
        );

      const after = await eventually(async () => {
        const text = await scrape(t);
        return (samples(text, 'hookgraph_deliveries_total').get('{outcome="succeeded"}') ?? 0) >= 3 ? text : null;
      });
      const delta = (name: string, labels: string) => (samples(after, name).get(labels) ?? 0) - (samples(before, name).get(labels) ?? 0);
      assert.equal(delta('hookgraph_deliveries_total', '{outcome="succeeded"}'), 3);
      assert.equal(delta('hookgraph_deliveries_total', '{outcome="failed"}'), 2);
      assert.equal(delta('hookgraph_attempt_duration_seconds_count', '{outcome="SUCCESS"}'), 3);
      assert.equal(delta('hookgraph_attempt_duration_seconds_count', '{outcome="HTTP_ERROR"}'), 2);
      assert.equal(delta('hookgraph_publish_duration_seconds_count', ''), 5);
      for (const gauge of [
        'hookgraph_queue_due',
        'hookgraph_queue_oldest_due_seconds',
        'hookgraph_in_flight',
        'hookgraph_breakers_open',
        'hookgraph_subscriptions_open',
      ]) {
        assert.ok(samples(after, gauge).has(''), `${gauge} is exposed`);
      }
      assert.ok(samples(after, 'process_cpu_user_seconds_total').has(''), "prom-client's process metrics");
      assert.doesNotMatch(after, /dst_|whk_|dlv_|tnt_/, 'no label holds an id');
    });

    it('logs each GraphQL operation, each failed attempt and each listener request, with ids and no secrets', async () => {
      const t = ctx();
      receiver.reset();
      lines.length = 0;
      const dest = await createDestination(t, {
        url: `${receiver.url}/fails`,
        retryPolicy: { maxAttempts: 1 },
        auth: { type: 'BEARER', token: 'very-secret-bearer-token' },
      });
      await createWebhook(t, dest.id, { eventTypes: ['logs.failing'] });
      receiver.script({ kind: 'status', status: 500 });
      const failed = await publish(t, { type: 'logs.failing', data: { card: '4111-1111' } });
      const listener = await t.gql(
        `mutation { listenerCreate(input: { name: "logged", eventType: "logs.in", verification: { type: BASIC, username: "u", password: "pw-1234567" } }) { listener { id url } } }`,
      );
      const { id: listenerId, url } = listener.data.listenerCreate.listener as { id: string; url: string };
      assert.equal((await postRaw(url, '{"a":1}', { 'content-type': 'application/json', authorization: 'Basic d3Jvbmc6d3Jvbmc=' })).status, 401);

      const attemptLine = await eventually(async () => lines.find((l) => l.msg === 'attempt failed' && l.deliveryId === failed.deliveryId), 10_000);
      assert.equal(attemptLine.destinationId, dest.id);
      assert.equal(attemptLine.statusCode, 500);
      assert.equal(attemptLine.outcome, 'HTTP_ERROR');
      const refusedLine = lines.find((l) => l.msg === 'listener request refused' && l.listenerId === listenerId);
      assert.ok(refusedLine, 'the refused listener call is logged');
      assert.equal(refusedLine.status, 401);
      const operation = lines.find((l) => l.msg === 'graphql operation' && l.type === 'mutation');
      assert.ok(operation && typeof operation.durationMs === 'number' && operation.keyId === 'env');
      const everything = JSON.stringify(lines);
      for (const secret of ['very-secret-bearer-token', 'pw-1234567', '4111-1111', t.adminKey]) assert.ok(!everything.includes(secret), secret);
    });
  },
  { HOOKGRAPH_METRICS_TOKEN: METRICS_TOKEN, LOG_LEVEL: 'info' },
  { logTo },
);
