import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runNode } from '../support/child';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { publish } from '../support/publish';
import { readmeSnippet, REPO } from '../support/readme';
import { forEachDatabase } from '../support/suite';

const DELIVERY = `query($id: ID!) { node(id: $id) { ... on Delivery { status lastStatusCode attempts(first: 1) { nodes { requestBody requestHeaders { name value } } } } } }`;

forEachDatabase('the README verifying example', (ctx) => {
  it('runs as written, accepts hookgraph’s deliveries and refuses a tampered one', async () => {
    const t = ctx();
    const snippet = readmeSnippet('What receivers get', '**Verifying.**');
    assert.match(snippet, /webhookMiddleware/, 'the example uses the receiver helper');
    const destination = await createDestination(t);
    await createWebhook(t, destination.id, { eventTypes: ['readme.verified'], includeEntity: true });

    // Run where a reader's project would have express and @hookgraph/client: this repository.
    const listen = `\nconst server = app.listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));\n`;
    const child = runNode(['--input-type=module', '--eval', snippet + listen], { HOOKGRAPH_SECRET: destination.signingSecret }, REPO);
    try {
      const url = `http://127.0.0.1:${await child.waitForCapture(/listening on (\d+)/)}/webhooks`;
      const res = await t.gql(`mutation($id: ID!, $url: String!) { destinationUpdate(id: $id, input: { url: $url }) { userErrors { message } } }`, {
        id: destination.id,
        url,
      });
      assert.deepEqual(res.data.destinationUpdate.userErrors, []);

      const { deliveryId } = await publish(t, { type: 'readme.verified', data: { n: 1 } });
      const delivery = await eventually(async () => {
        const node = (await t.gql(DELIVERY, { id: deliveryId })).data?.node;
        return node?.status === 'SUCCEEDED' ? node : null;
      }, 15_000);
      assert.equal(delivery.lastStatusCode, 204);

      const attempt = delivery.attempts.nodes[0];
      const headers = Object.fromEntries(
        (attempt.requestHeaders as { name: string; value: string }[]).filter((h) => /^(webhook-|content-type$)/i.test(h.name)).map((h) => [h.name, h.value]),
      );
      const tampered = await fetch(url, { method: 'POST', headers, body: attempt.requestBody.replace('"n":1', '"n":2') });
      assert.equal(tampered.status, 401);
      assert.match(await tampered.text(), /^webhook refused: /);
      assert.equal(child.stderr(), '');
    } finally {
      child.kill();
      await child.exited;
    }
  });
});
