import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { runNode, type Child } from '../support/child';
import { eventually } from '../support/deferred';
import { forEachDatabase } from '../support/suite';
import type { TestApp } from '../support/app';

/** The repository's root, seen from dist/test/integration. */
const ROOT = path.resolve(__dirname, '../../..');
const example = (name: string) => path.join(ROOT, 'examples', name);

/** Runs an example script against the test app, as its README says (HOOKGRAPH_URL, HOOKGRAPH_API_KEY). */
function runExample(t: TestApp, name: string, args: string[], env: Record<string, string> = {}): Child {
  return runNode([example(name), ...args], { HOOKGRAPH_URL: t.url, HOOKGRAPH_API_KEY: t.adminKey, ...env }, ROOT);
}

const DELIVERY = `query($id: ID!) { node(id: $id) { ... on Delivery { status lastStatusCode attempts(first: 1) { nodes { requestUrl requestBody requestHeaders { name value } } } } } }`;

/** The kinds of destination a receiver may be: each gets its own receiver process and secret. */
const KINDS = [
  { format: 'json', args: [] },
  { format: 'form', args: ['--format', 'FORM_URLENCODED'] },
  { format: 'query', args: ['--method', 'GET'] },
] as const;

interface RunningReceiver {
  format: (typeof KINDS)[number]['format'];
  child: Child;
  url: string;
}

forEachDatabase('examples/ against a running hookgraph', (ctx) => {
  const receivers: RunningReceiver[] = [];

  before(async () => {
    const t = ctx();
    for (const { format, args } of KINDS) {
      // The receiver needs the secret, and the destination the receiver's URL: subscribe
      // first with the port not yet known, then point the destination at the receiver.
      const subscribe = runExample(t, 'subscribe.mjs', ['http://127.0.0.1:9/webhooks', 'order.*', '--name', `${format} receiver`, ...args]);
      assert.equal(await subscribe.exited, 0, subscribe.stderr());
      const secret = await subscribe.waitForCapture(/HOOKGRAPH_SECRET=(whsec_\S+)/);
      const destinationId = await subscribe.waitForCapture(/destination (dst_\S+)/);
      const child = runNode([example('express-receiver.mjs')], { HOOKGRAPH_SECRET: secret, PORT: '0' }, ROOT);
      receivers.push({ format, child, url: '' });
      const url = await child.waitForCapture(/receiving webhooks on (http:\S+)/);
      receivers.at(-1)!.url = url;
      const res = await t.gql(`mutation($id: ID!, $url: String!) { destinationUpdate(id: $id, input: { url: $url }) { userErrors { message } } }`, {
        id: destinationId,
        url,
      });
      assert.deepEqual(res.data?.destinationUpdate.userErrors, [], JSON.stringify(res));
    }
  });

  after(async () => {
    for (const { child } of receivers) child.kill();
    await Promise.all(receivers.map(({ child }) => child.exited));
  });

  const receiverFor = (format: string) => receivers.find((r) => r.format === format)!;

  /** Publishes with the example publisher; returns the event id and the delivery ids it printed. */
  async function publishWithScript(t: TestApp, type: string, data: string): Promise<{ eventId: string; deliveryIds: string[] }> {
    const publisher = runExample(t, 'publish.mjs', [type, data]);
    assert.equal(await publisher.exited, 0, publisher.stderr());
    const [, eventId, count] = await publisher.waitFor(new RegExp(`published (evt_\\S+) \\(${type.replace('.', '\\.')}\\) with (\\d+) deliveries`));
    const deliveryIds = [...publisher.stdout().matchAll(/delivery (dlv_\S+)/g)].map((m) => m[1]!);
    assert.equal(deliveryIds.length, Number(count));
    return { eventId: eventId!, deliveryIds };
  }

  async function succeeded(t: TestApp, deliveryId: string): Promise<any> {
    return eventually(async () => {
      const node = (await t.gql(DELIVERY, { id: deliveryId })).data?.node;
      return node?.status === 'SUCCEEDED' ? node : null;
    }, 15_000);
  }

  it('the publisher script publishes an event, which the API then shows', async () => {
    const t = ctx();
    const { eventId, deliveryIds } = await publishWithScript(t, 'order.created', '{"total": 99.5}');
    assert.equal(deliveryIds.length, KINDS.length, 'one delivery per subscribed receiver');
    const res = await t.gql(`query($id: ID!) { node(id: $id) { ... on Event { type data } } }`, { id: eventId });
    assert.deepEqual(res.data.node, { type: 'order.created', data: { total: 99.5 } });
  });

  it('the publisher script says what is wrong without a key or with bad data', async () => {
    const t = ctx();
    const noKey = runExample(t, 'publish.mjs', ['order.created'], { HOOKGRAPH_API_KEY: '' });
    assert.equal(await noKey.exited, 1);
    assert.match(noKey.stderr(), /set HOOKGRAPH_API_KEY/);
    const badData = runExample(t, 'publish.mjs', ['order.created', '{total']);
    assert.equal(await badData.exited, 1);
    assert.match(badData.stderr(), /the data is not JSON/);
  });

  /** Publishes an event and waits until every receiver verified its delivery; the delivery ids by format. */
  async function deliverToAll(t: TestApp, type: string, data: string): Promise<Map<string, string>> {
    const { eventId, deliveryIds } = await publishWithScript(t, type, data);
    const delivered = new Map<string, string>();
    for (const { format, child } of receivers) {
      const deliveryId = await child.waitForCapture(new RegExp(`verified ${format} ${type.replace('.', '\\.')} ${eventId} delivery (dlv_\\S+)`));
      assert.ok(deliveryIds.includes(deliveryId), `${format}: ${deliveryId} is one of ${deliveryIds.join(', ')}`);
      delivered.set(format, deliveryId);
    }
    return delivered;
  }

  it('the Express receiver verifies real JSON, form and GET deliveries', async () => {
    const t = ctx();
    const delivered = await deliverToAll(t, 'order.paid', '{"amount": 10}');
    for (const [format, deliveryId] of delivered) assert.equal((await succeeded(t, deliveryId)).lastStatusCode, 204, format);
  });

  it('the Express receiver answers 401 to a tampered or unsigned delivery', async () => {
    const t = ctx();
    const delivered = await deliverToAll(t, 'order.refunded', '{"amount": 10}');
    const signedHeaders = (attempt: any) =>
      Object.fromEntries(
        (attempt.requestHeaders as { name: string; value: string }[]).filter((h) => /^(webhook-|content-type$)/i.test(h.name)).map((h) => [h.name, h.value]),
      );
    const json = (await succeeded(t, delivered.get('json')!)).attempts.nodes[0];
    const headers = signedHeaders(json);
    const url = receiverFor('json').url;
    // The real request again (within the timestamp's tolerance) verifies…
    assert.equal((await fetch(url, { method: 'POST', headers, body: json.requestBody })).status, 204);
    // …with one value changed it does not.
    const tampered = await fetch(url, { method: 'POST', headers, body: json.requestBody.replace('"amount":10', '"amount":10000') });
    assert.equal(tampered.status, 401);
    assert.match(await tampered.text(), /no signature matches/);
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json.requestBody });
    assert.equal(unsigned.status, 401);
    // A GET delivery's query is signed as well.
    const get = (await succeeded(t, delivered.get('query')!)).attempts.nodes[0];
    assert.equal((await fetch(get.requestUrl, { headers: signedHeaders(get) })).status, 204);
    const tamperedUrl = get.requestUrl.replace('data__amount=10', 'data__amount=10000');
    assert.notEqual(tamperedUrl, get.requestUrl);
    assert.equal((await fetch(tamperedUrl, { headers: signedHeaders(get) })).status, 401);
  });
});
