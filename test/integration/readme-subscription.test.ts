import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runNode } from '../support/child';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { publish } from '../support/publish';
import { readmeSnippet, REPO } from '../support/readme';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { wsUrl } from '../support/ws-client';

const README_URL = 'ws://127.0.0.1:4000/graphql';

forEachDatabase('the README subscription example', (ctx) => {
  const receiver = useReceiver();

  it('runs as written with this Node, and prints a failed delivery', async () => {
    const t = ctx();
    const snippet = readmeSnippet('Live updates and dashboard');
    assert.ok(snippet.includes(README_URL), 'the example connects to the default address');
    receiver.behave({ kind: 'status', status: 400 });
    const destination = await createDestination(t, { url: `${receiver.url}/hooks` });
    await createWebhook(t, destination.id, { eventTypes: ['readme.example'] });

    // Run where a reader's project would have graphql-ws and ws installed: this repository.
    const child = runNode(['--input-type=module', '--eval', snippet.replace(README_URL, wsUrl(t.url))], { HOOKGRAPH_KEY: t.adminKey }, REPO);
    try {
      const subscribers = t.app.realtime.hub.stats().subscribers;
      const died = child.exited.then((code) => Promise.reject(new Error(`the example exited (${code}): ${child.stderr()}`)));
      await Promise.race([eventually(async () => t.app.realtime.hub.stats().subscribers > subscribers, 15_000), died]);
      const { event } = await publish(t, { type: 'readme.example', data: { n: 1 } });
      const [line] = await child.waitFor(/^\{.*"FAILED".*\}$/m);
      const printed = JSON.parse(line) as {
        data: { deliveryUpdated: { status: string; event: { type: string }; latestAttempt: { responseStatusCode: number } } };
      };
      assert.deepEqual(printed.data.deliveryUpdated.event, { type: event.type });
      assert.equal(printed.data.deliveryUpdated.status, 'FAILED');
      assert.equal(printed.data.deliveryUpdated.latestAttempt.responseStatusCode, 400);
      assert.equal(child.stderr(), '');
    } finally {
      child.kill();
      await child.exited;
    }
  });
});
