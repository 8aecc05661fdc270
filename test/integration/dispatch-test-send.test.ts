import assert from 'node:assert/strict';
import { it } from 'node:test';
import { signatureBaseString } from '../../src/dispatch/signing/standard-webhooks';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { swHeaders } from '../support/standard-webhooks';
import { readDelivery, route } from './dispatch-support';

const TRACE = `delivery { id status trigger attemptCount event { id type } }
  attempt { attemptNumber outcome requestMethod requestUrl requestBody requestHeaders { name value }
    responseStatusCode responseBody durationMs signatureBaseString }
  signatureBaseString userErrors { field message code }`;

forEachDatabase('dispatch: destinationTest and webhookTest send now and return the trace', (ctx) => {
  const receiver = useReceiver();

  it('destinationTest sends the given event now and records a TEST delivery', async () => {
    const app = ctx();
    const r = await route(app, receiver.url, { auth: { type: 'BEARER', token: 'very-secret-token' } });
    receiver.behave({ kind: 'status', status: 202, body: 'accepted!' });
    const res = await app.gql(`mutation($id: ID!, $data: JSON) { destinationTest(id: $id, eventType: "order.created", data: $data) { ${TRACE} } }`, {
      id: r.destinationId,
      data: { orderId: 42 },
    });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const p = res.data.destinationTest;
    assert.deepEqual(p.userErrors, []);
    assert.equal(p.delivery.status, 'SUCCEEDED');
    assert.equal(p.delivery.trigger, 'TEST');
    assert.equal(p.delivery.event.type, 'order.created');
    assert.equal(p.attempt.outcome, 'SUCCESS');
    assert.equal(p.attempt.responseStatusCode, 202);
    assert.equal(p.attempt.responseBody, 'accepted!');
    assert.equal(receiver.requests.length, 1, 'sent synchronously: it has arrived when the mutation returns');
    const got = receiver.requests[0]!;
    assert.equal(got.headers.authorization, 'Bearer very-secret-token');
    assert.deepEqual(JSON.parse(got.body).data, { orderId: 42 });
    const sent = swHeaders(got.headers);
    assert.equal(p.signatureBaseString, signatureBaseString(sent['webhook-id'], sent['webhook-timestamp'], got.body));
    assert.equal(p.attempt.signatureBaseString, p.signatureBaseString);
    assert.ok(!JSON.stringify(p).includes('very-secret-token'), 'secrets are redacted in the trace');
    const stored = await readDelivery(app, p.delivery.id);
    assert.equal(stored.trigger, 'TEST');
    assert.equal(stored.attempts.nodes.length, 1);
  });

  it('webhookTest reports a failure without retrying or disabling anything', async () => {
    const app = ctx();
    receiver.reset();
    const r = await route(app, receiver.url);
    receiver.behave({ kind: 'status', status: 410 });
    const res = await app.gql(`mutation($id: ID!) { webhookTest(id: $id) { ${TRACE} } }`, { id: r.webhookId });
    const p = res.data.webhookTest;
    assert.deepEqual(p.userErrors, []);
    assert.equal(p.delivery.status, 'FAILED');
    assert.equal(p.delivery.event.type, r.type);
    assert.equal(p.attempt.outcome, 'HTTP_ERROR');
    assert.equal(p.attempt.responseStatusCode, 410);
    const dest = await app.gql(`query($id: ID!) { node(id: $id) { ... on Destination { status } } }`, { id: r.destinationId });
    assert.equal(dest.data.node.status, 'ACTIVE');
    await new Promise((res2) => setTimeout(res2, 300));
    assert.equal(receiver.requests.length, 1);
  });

  it('refuses unknown ids with userErrors', async () => {
    const app = ctx();
    const res = await app.gql(`mutation { webhookTest(id: "whk_01JAAAAAAAAAAAAAAAAAAAAAAA") { ${TRACE} } }`);
    assert.equal(res.data.webhookTest.userErrors[0].code, 'NOT_FOUND');
    assert.equal(res.data.webhookTest.delivery, null);
  });
});
