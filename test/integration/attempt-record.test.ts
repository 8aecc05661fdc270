import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { publish, publishBatch } from '../support/publish';
import { useReceiver, type ReceivedRequest } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { terminal, waitDelivery } from './dispatch-support';
import { wireRoute } from './wire-support';

/**
 * An attempt read back through the API is the request its receiver got, byte for byte,
 * whether its body was stored or rebuilt from the event (body-recipe.ts), and its headers
 * as sent (stored as lines, header-lines.ts).
 */

const FAST = { strategy: 'SCHEDULE', scheduleSeconds: [0, 0, 0] };

/** Data that a careless rebuild would change: escapes, non-ASCII, numbers JSON writes its own way, key order. */
const AWKWARD = {
  text: 'it\'s "quoted" \\ back\nslash \u2028 ünïcødé 🦆 \u0000',
  numbers: [0.1, 1e21, -0, 123456789012345680000, 5e-324, 1.5],
  nested: { z: 1, a: [null, true, false, { '': 'empty key' }], '10': 'ten', '2': 'two' },
};

const ATTEMPTS = `query($id: ID!) { node(id: $id) { ... on Delivery {
  latestAttempt { id requestBody }
  attempts(first: 10) { nodes { id attemptNumber requestMethod requestUrl requestBody requestHeaders { name value } } } } } }`;

interface AttemptView {
  id: string;
  attemptNumber: number;
  requestMethod: string;
  requestUrl: string;
  requestBody: string | null;
  requestHeaders: { name: string; value: string }[];
}

/** Headers the HTTP client adds on the wire; the attempt records the ones hookgraph set. */
const TRANSPORT = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/** The credential headers these tests send: recorded redacted. */
const CREDENTIALS = new Set(['x-api-key']);

/** Every attempt of the delivery equals the request the receiver got for it; returns the attempts. */
async function assertAttemptsAreWhatWasSent(app: TestApp, deliveryId: string, received: ReceivedRequest[]): Promise<AttemptView[]> {
  const res = await app.gql(ATTEMPTS, { id: deliveryId });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const attempts = res.data.node.attempts.nodes as AttemptView[];
  assert.ok(attempts.length > 0, 'attempts recorded');
  for (const attempt of attempts) {
    const sent = received.find(
      (r) => r.headers['x-hookgraph-delivery-id'] === deliveryId && r.headers['x-hookgraph-attempt'] === String(attempt.attemptNumber),
    );
    assert.ok(sent, `the receiver got attempt ${attempt.attemptNumber} of ${deliveryId}`);
    assert.equal(attempt.requestMethod, sent.method);
    assert.equal(attempt.requestUrl, new URL(sent.url, attempt.requestUrl).href);
    if (sent.method === 'GET') assert.equal(attempt.requestBody, null);
    else {
      assert.equal(attempt.requestBody, sent.body, 'the body as received');
      assert.equal(Buffer.byteLength(attempt.requestBody!), Buffer.byteLength(sent.body));
    }
    const recorded = new Map(attempt.requestHeaders.map((h) => [h.name.toLowerCase(), h.value]));
    const onWire = Object.entries(sent.headers).filter(([name]) => !TRANSPORT.has(name));
    assert.deepEqual(new Set(recorded.keys()), new Set(onWire.map(([name]) => name)), 'the same header names');
    for (const [name, value] of onWire) assert.equal(recorded.get(name), CREDENTIALS.has(name) ? '[REDACTED]' : value, `header ${name}`);
  }
  const latest = res.data.node.latestAttempt as { id: string; requestBody: string | null };
  assert.equal(latest.requestBody, attempts.find((a) => a.id === latest.id)!.requestBody);
  const one = await app.gql(`query($id: ID!) { node(id: $id) { ... on DeliveryAttempt { requestBody } } }`, { id: attempts[0]!.id });
  assert.equal(one.data.node.requestBody, attempts[0]!.requestBody);
  return attempts;
}

/** The stored row's body and recipe, by attempt id. */
async function storedForm(app: TestApp, attemptId: string): Promise<{ body: string | null; recipe: string | null; headers: string }> {
  const [row] = (await app.app.services.db.dataSource.query(
    'SELECT request_body AS body, request_body_recipe AS recipe, request_headers AS headers FROM delivery_attempts WHERE id = ?',
    [attemptId],
  )) as { body: string | null; recipe: string | null; headers: string }[];
  return row!;
}

forEachDatabase('attempts: read back as sent', (ctx) => {
  const receiver = useReceiver();

  it('an envelope body is stored as a recipe and rebuilt byte for byte, on every attempt of a retried delivery', async () => {
    receiver.reset();
    const app = ctx();
    const r = await wireRoute(app, `${receiver.url}/hook`, { retryPolicy: FAST, headers: [{ name: 'X-Api-Key', value: 'hush' }] });
    receiver.script({ kind: 'status', status: 500 });
    const { deliveryId } = await publish(app, { type: r.type, entityId: 'order_1', data: AWKWARD });
    const d = await waitDelivery(app, deliveryId, terminal);
    assert.equal(d.status, 'SUCCEEDED');
    const attempts = await assertAttemptsAreWhatWasSent(app, deliveryId, receiver.requests);
    assert.deepEqual(attempts.map((a) => a.attemptNumber).sort(), [1, 2]);
    for (const a of attempts) {
      const stored = await storedForm(app, a.id);
      assert.equal(stored.body, null, 'the body is not stored');
      assert.equal(stored.recipe, 'envelope;data');
      assert.ok(!stored.headers.startsWith('['), 'headers stored as lines');
      assert.ok(!stored.headers.includes('hush'), 'a credential header is stored redacted');
    }
  });

  it('rebuilds what the webhook said at the time: without data, with a sync mode, for rows of a batch', async () => {
    receiver.reset();
    const app = ctx();
    const bare = await wireRoute(app, `${receiver.url}/bare`, {}, { includeEntity: false, syncMode: 'MIRROR' });
    const { deliveryId } = await publish(app, { type: bare.type, data: AWKWARD });
    await waitDelivery(app, deliveryId, terminal);
    const [attempt] = await assertAttemptsAreWhatWasSent(app, deliveryId, receiver.requests);
    assert.equal((await storedForm(app, attempt!.id)).recipe, 'envelope;syncMode=MIRROR');

    // The webhook changes afterwards: the attempt still shows what was sent.
    const changed = await app.gql(`mutation($id: ID!, $input: WebhookUpdateInput!) { webhookUpdate(id: $id, input: $input) { userErrors { message } } }`, {
      id: bare.webhookId,
      input: { includeEntity: true, syncMode: 'UPSERT' },
    });
    assert.deepEqual(changed.data.webhookUpdate.userErrors, []);
    await assertAttemptsAreWhatWasSent(app, deliveryId, receiver.requests);

    const rows = await wireRoute(app, `${receiver.url}/rows`);
    const eventIds = await publishBatch(app, {
      type: rows.type,
      syncMode: 'UPSERT',
      rows: [
        { id: 'a', n: 1 },
        { id: 'b', n: 2.5 },
      ],
      entityIdField: 'id',
    });
    const deliveries = await app.gql(`query($id: ID!) { deliveries(first: 10, filter: { eventId: $id }) { nodes { id } } }`, { id: eventIds[1] });
    const rowDelivery = deliveries.data.deliveries.nodes[0].id as string;
    await waitDelivery(app, rowDelivery, terminal);
    const [rowAttempt] = await assertAttemptsAreWhatWasSent(app, rowDelivery, receiver.requests);
    assert.equal(JSON.parse(rowAttempt!.requestBody!).meta.rowNumber, 2);
  });

  it('bodies a recipe cannot describe are stored as sent: a field mapping, a form, another payload format, a GET', async () => {
    receiver.reset();
    const app = ctx();
    const routes = [
      await wireRoute(app, `${receiver.url}/mapped`, {}, { fieldMapping: [{ from: 'nested.z', to: 'zed' }] }),
      await wireRoute(app, `${receiver.url}/form`, { format: 'FORM_URLENCODED' }),
      await wireRoute(app, `${receiver.url}/valmi`, {}, { payloadFormat: 'VALMI' }),
      await wireRoute(app, `${receiver.url}/get?already=1`, { method: 'GET' }),
    ];
    for (const [i, r] of routes.entries()) {
      const { deliveryId } = await publish(app, { type: r.type, data: AWKWARD });
      await waitDelivery(app, deliveryId, terminal);
      const [attempt] = await assertAttemptsAreWhatWasSent(app, deliveryId, receiver.requests);
      const stored = await storedForm(app, attempt!.id);
      assert.equal(stored.recipe, null, `route ${i} has no recipe`);
      assert.equal(stored.body, attempt!.requestBody, `route ${i} stores its body`);
    }
  });
});
