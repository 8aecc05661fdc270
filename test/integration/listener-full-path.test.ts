import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createDestination, createWebhook } from '../support/fixtures';
import { postRaw } from '../support/inbound';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';

const receiver = useReceiver();

forEachDatabase('receive → verify → deliver', (ctx) => {
  it('a signed inbound POST becomes an event delivered, signed, to a local receiver', async () => {
    const t = ctx();
    receiver.reset();
    const dest = await createDestination(t, { url: `${receiver.url}/forwarded` });
    await createWebhook(t, dest.id, { eventTypes: ['github.*'] });
    const created = await t.gql(
      `mutation { listenerCreate(input: { name: "github", eventType: "github.event", eventTypePath: "hook_type",
        verification: { type: HMAC, algorithm: SHA256, encoding: HEX, header: "X-Hub-Signature-256", prefix: "sha256=", secret: "gh-webhook-secret" } }) { listener { url } userErrors { message } } }`,
    );
    const url = created.data.listenerCreate.listener.url;
    const body = JSON.stringify({ hook_type: 'github.push', ref: 'refs/heads/main', commits: [{ id: 'abc' }] });
    const signature = `sha256=${createHmac('sha256', 'gh-webhook-secret').update(body).digest('hex')}`;

    const wrong = await postRaw(url, body, { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' });
    assert.equal(wrong.status, 401);
    const accepted = await postRaw(url, body, { 'content-type': 'application/json', 'x-hub-signature-256': signature });
    assert.equal(accepted.status, 204);

    const request = (await receiver.waitFor(1, 10_000))[0]!;
    assert.equal(receiver.requests.length, 1, 'only the verified request was forwarded');
    const verified = new Webhook(dest.signingSecret).verify(request.body, request.headers as Record<string, string>) as { type: string; data: unknown };
    assert.equal(verified.type, 'github.push');
    assert.deepEqual(verified.data, JSON.parse(body));
    assert.equal(request.headers['x-hookgraph-event'], 'github.push');
  });
});
