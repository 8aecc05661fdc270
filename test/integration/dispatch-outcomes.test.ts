import assert from 'node:assert/strict';
import { it } from 'node:test';
import { signatureBaseString } from '../../src/dispatch/signing/standard-webhooks';
import { useReceiver } from '../support/receiver';
import { eventually } from '../support/deferred';
import { forEachDatabase } from '../support/suite';
import { swHeaders } from '../support/standard-webhooks';
import { publish } from '../support/publish';
import { readDelivery, route, terminal, waitDelivery } from './dispatch-support';

const FAST = { strategy: 'SCHEDULE', scheduleSeconds: [0, 0, 0, 0, 0] };
const header = (hs: { name: string; value: string }[], name: string) => hs.find((h) => h.name.toLowerCase() === name)?.value;

forEachDatabase(
  'dispatch: outcomes against a misbehaving receiver',
  (ctx) => {
    const receiver = useReceiver();
    const elsewhere = useReceiver();

    it('delivers a 200 once, durable before its signal, with webhook-id = event id', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url);
      const durableChecks: Promise<string>[] = [];
      const off = app.app.services.signals.on('deliveryUpdated', (d) => {
        if (d.status === 'SUCCEEDED') durableChecks.push(app.app.services.deliveries.get(d.id).then((row) => row!.status));
      });
      const { eventId, deliveryId } = await publish(app, { type: r.type, data: { hello: 'world' } });
      const d = await waitDelivery(app, deliveryId, terminal);
      off();
      assert.equal(d.status, 'SUCCEEDED');
      assert.equal(d.attemptCount, 1);
      assert.equal(d.attempts.nodes.length, 1);
      const a = d.attempts.nodes[0]!;
      assert.equal(a.outcome, 'SUCCESS');
      assert.equal(a.responseStatusCode, 200);
      assert.equal(header(a.requestHeaders, 'webhook-id'), eventId);
      assert.equal(receiver.requests.length, 1);
      const sent = receiver.requests[0]!;
      assert.equal(sent.headers['webhook-id'], eventId);
      assert.deepEqual(JSON.parse(sent.body).data, { hello: 'world' });
      assert.equal(a.signatureBaseString, signatureBaseString(eventId, swHeaders(sent.headers)['webhook-timestamp'], sent.body));
      assert.deepEqual(await Promise.all(durableChecks), ['SUCCEEDED']);
    });

    it('stores an attempt exactly as sent and answered: quotes, backslashes, NUL, SQL, non-ASCII', async () => {
      receiver.reset();
      const app = ctx();
      const awkward = `it's "q" \\ \\' \0 ? é😀 '); DROP TABLE delivery_attempts; --`;
      const url = `${receiver.url}/it's?q=${encodeURIComponent(awkward)}`;
      const r = await route(app, url, { headers: [{ name: 'X-Awkward', value: `it's "q" \\` }] });
      receiver.behave({ kind: 'status', status: 200, headers: { 'x-answer': `"it's" \\` }, body: awkward });
      const { deliveryId } = await publish(app, { type: r.type, data: { text: awkward } });
      await waitDelivery(app, deliveryId, terminal);
      const res = await app.gql(
        `query($id: ID!) { node(id: $id) { ... on Delivery { attempts(first: 1) { nodes {
          requestUrl requestBody requestHeaders { name value } responseBody responseHeaders { name value } } } } } }`,
        { id: deliveryId },
      );
      const [a] = res.data.node.attempts.nodes;
      const [sent] = receiver.requests;
      assert.ok(sent, 'the receiver got the delivery');
      assert.equal(a.requestUrl, new URL(url).href);
      assert.equal(`${receiver.url}${sent.url}`, a.requestUrl);
      assert.equal(a.requestBody, sent.body);
      assert.equal(JSON.parse(a.requestBody).data.text, awkward);
      assert.equal(header(a.requestHeaders, 'x-awkward'), `it's "q" \\`);
      assert.equal(a.responseBody, awkward);
      assert.equal(header(a.responseHeaders, 'x-answer'), `"it's" \\`);
    });

    it('succeeds after N failures, same webhook-id on every attempt', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { retryPolicy: FAST });
      receiver.script({ kind: 'status', status: 500 }, { kind: 'status', status: 502 }, { kind: 'status', status: 500 });
      const { eventId, deliveryId } = await publish(app, { type: r.type });
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'SUCCEEDED');
      assert.equal(d.attemptCount, 4);
      assert.deepEqual(d.attempts.nodes.map((a) => a.outcome).reverse(), ['HTTP_ERROR', 'HTTP_ERROR', 'HTTP_ERROR', 'SUCCESS']);
      assert.deepEqual(
        receiver.requests.map((q) => q.headers['webhook-id']),
        [eventId, eventId, eventId, eventId],
      );
      assert.deepEqual(
        receiver.requests.map((q) => q.headers['x-hookgraph-attempt']),
        ['1', '2', '3', '4'],
      );
    });

    it('times out a receiver that hangs past the timeout, and fails with delivery.failed when attempts run out', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { timeoutMs: 300, retryPolicy: { ...FAST, maxAttempts: 2 } });
      receiver.behave({ kind: 'hang', delayMs: 3000 });
      const { deliveryId } = await publish(app, { type: r.type });
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'FAILED');
      assert.equal(d.attemptCount, 2);
      for (const a of d.attempts.nodes) {
        assert.equal(a.outcome, 'TIMEOUT');
        assert.ok(a.durationMs >= 250 && a.durationMs < 2500, `duration ${a.durationMs}`);
      }
      const failed = await eventually(async () => {
        const res = await app.gql(`{ events(first: 100, type: ["delivery.failed"]) { nodes { entityId data } } }`);
        return res.data.events.nodes.find((e: { entityId: string }) => e.entityId === deliveryId);
      });
      assert.equal(failed.data.deliveryId, deliveryId);
    });

    it('times out a receiver that accepts and never answers', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { timeoutMs: 300, retryPolicy: { ...FAST, maxAttempts: 1 } });
      receiver.behave({ kind: 'never' });
      const { deliveryId } = await publish(app, { type: r.type });
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'FAILED');
      assert.equal(d.attempts.nodes[0]?.outcome, 'TIMEOUT');
    });

    it('times out a slow drip: the timeout covers the whole exchange, not each chunk', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { timeoutMs: 400, retryPolicy: { ...FAST, maxAttempts: 1 } });
      receiver.behave({ kind: 'drip', everyMs: 50, forMs: 3000 });
      const { deliveryId } = await publish(app, { type: r.type });
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'FAILED');
      const [a] = d.attempts.nodes;
      assert.ok(a, 'one attempt');
      assert.equal(a.outcome, 'TIMEOUT');
      assert.equal(a.responseStatusCode, 200, 'the status line had arrived');
      assert.ok(a.durationMs < 2000, `gave up after ${a.durationMs} ms`);
    });

    it('retries a connection reset mid-body', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { retryPolicy: FAST });
      receiver.script({ kind: 'reset-mid-body' });
      const { deliveryId } = await publish(app, { type: r.type });
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'SUCCEEDED');
      const [second, first] = d.attempts.nodes;
      assert.equal(first?.outcome, 'CONNECTION_ERROR');
      assert.ok(first.error);
      assert.equal(second?.outcome, 'SUCCESS');
    });

    it('honours 503 + Retry-After instead of the schedule', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url); // default schedule: 5 s after the first attempt
      receiver.script({ kind: 'status', status: 503, headers: { 'retry-after': '1' } });
      const { deliveryId } = await publish(app, { type: r.type });
      const waiting = await waitDelivery(app, deliveryId, (d) => d.status === 'RETRY_SCHEDULED');
      assert.equal(waiting.lastStatusCode, 503);
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'SUCCEEDED');
      const [firstTry, retry] = receiver.requests;
      assert.ok(firstTry && retry, 'sent twice');
      const gap = retry.at - firstTry.at;
      assert.ok(gap >= 900 && gap < 4000, `retried after ${gap} ms`);
    });

    it('retries 429', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { retryPolicy: FAST });
      receiver.script({ kind: 'status', status: 429 }, { kind: 'status', status: 408 });
      const { deliveryId } = await publish(app, { type: r.type });
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'SUCCEEDED');
      assert.deepEqual(d.attempts.nodes.map((a) => a.responseStatusCode).reverse(), [429, 408, 200]);
    });

    it('fails 4xx at once, and a 301 without following it to another address', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { retryPolicy: FAST });
      receiver.script({ kind: 'status', status: 404 }, { kind: 'status', status: 301, headers: { location: `${elsewhere.url}/moved` } });
      const first = await publish(app, { type: r.type });
      const d404 = await waitDelivery(app, first.deliveryId, terminal);
      assert.equal(d404.status, 'FAILED');
      assert.equal(d404.attemptCount, 1);
      const second = await publish(app, { type: r.type });
      const d301 = await waitDelivery(app, second.deliveryId, terminal);
      assert.equal(d301.status, 'FAILED');
      assert.equal(d301.attemptCount, 1);
      assert.equal(d301.attempts.nodes[0]?.responseStatusCode, 301);
      assert.match(d301.lastError!, /redirect/);
      assert.equal(elsewhere.requests.length, 0, 'the redirect was not followed');
    });

    it('cuts a 5 MB response at 64 KiB and flags it', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url);
      receiver.script({ kind: 'huge', bytes: 5 * 1024 * 1024 });
      const { deliveryId } = await publish(app, { type: r.type });
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'SUCCEEDED');
      const [a] = d.attempts.nodes;
      assert.equal(a?.responseTruncated, true);
      assert.equal(a.responseBody!.length, 64 * 1024);
    });

    it('410 disables the destination with a reason and a destination.disabled event; nothing is dropped', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { retryPolicy: FAST });
      receiver.script({ kind: 'status', status: 410 });
      const { deliveryId } = await publish(app, { type: r.type });
      const dest = await eventually(async () => {
        const res = await app.gql(`query($id: ID!) { node(id: $id) { ... on Destination { status statusReason } } }`, { id: r.destinationId });
        return res.data.node.status === 'DISABLED' ? res.data.node : null;
      });
      assert.match(dest.statusReason, /410/);
      const event = await eventually(async () => {
        const res = await app.gql(`{ events(first: 100, type: ["destination.disabled"]) { nodes { entityId } } }`);
        return res.data.events.nodes.find((e: { entityId: string }) => e.entityId === r.destinationId);
      });
      assert.ok(event);
      const later = await publish(app, { type: r.type });
      const waiting = await readDelivery(app, deliveryId);
      assert.ok(['RETRY_SCHEDULED', 'IN_FLIGHT'].includes(waiting.status), waiting.status);
      assert.equal(receiver.requests.length, 1, 'nothing is sent while disabled');
      const upd = await app.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { userErrors { message } } }`, {
        id: r.destinationId,
      });
      assert.deepEqual(upd.data.destinationUpdate.userErrors, []);
      const [a, b] = await Promise.all([waitDelivery(app, deliveryId, terminal, 15_000), waitDelivery(app, later.deliveryId, terminal, 15_000)]);
      assert.equal(a.status, 'SUCCEEDED');
      assert.equal(b.status, 'SUCCEEDED');
    });

    it('cancelling an in-flight delivery sticks when its response arrives', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { retryPolicy: FAST });
      receiver.script({ kind: 'status', status: 500, delayMs: 700 });
      const { deliveryId } = await publish(app, { type: r.type });
      await receiver.waitFor(1);
      const c = await app.gql(`mutation($id: ID!) { deliveryCancel(id: $id) { delivery { status } userErrors { message } } }`, { id: deliveryId });
      assert.equal(c.data.deliveryCancel.delivery.status, 'CANCELLED');
      const d = await waitDelivery(app, deliveryId, (x) => x.attempts.nodes.length === 1);
      assert.equal(d.status, 'CANCELLED');
      assert.equal(d.attempts.nodes[0]?.responseStatusCode, 500);
      await new Promise((res) => setTimeout(res, 300));
      assert.equal((await readDelivery(app, deliveryId)).status, 'CANCELLED');
      assert.equal(receiver.requests.length, 1);
    });

    it('a manual retry of a FAILED delivery gets a fresh round of attempts', async () => {
      receiver.reset();
      const app = ctx();
      const r = await route(app, receiver.url, { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [0], maxAttempts: 2 } });
      receiver.behave({ kind: 'status', status: 500 });
      const { deliveryId } = await publish(app, { type: r.type });
      const failed = await waitDelivery(app, deliveryId, terminal);
      assert.equal(failed.status, 'FAILED');
      assert.equal(failed.attemptCount, 2);
      const res = await app.gql(`mutation($id: ID!) { deliveryRetry(id: $id) { delivery { status trigger } userErrors { message } } }`, { id: deliveryId });
      assert.deepEqual(res.data.deliveryRetry.delivery, { status: 'PENDING', trigger: 'MANUAL_RETRY' });
      const again = await waitDelivery(app, deliveryId, (d) => terminal(d) && d.attemptCount === 4);
      assert.equal(again.status, 'FAILED');
      receiver.behave({ kind: 'status', status: 200 });
      await app.gql(`mutation($id: ID!) { deliveryRetry(id: $id) { userErrors { message } } }`, { id: deliveryId });
      const ok = await waitDelivery(app, deliveryId, (d) => d.status === 'SUCCEEDED');
      assert.equal(ok.attemptCount, 5);
      assert.equal(receiver.requests.length, 5);
    });
  },
  { HOOKGRAPH_WORKER_POLL_MS: '200' },
);
