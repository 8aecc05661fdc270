import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createKey } from '../support/fixtures';
import { useLiveSubscriptions } from '../support/live';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { terminal, waitDelivery } from './dispatch-support';
import { wireRoute } from './wire-support';

const READ = `query($id: ID!) { node(id: $id) { ... on Destination { headers { name value valueHint } auth { secretHint } } } }`;
const STATUS = `subscription($id: ID) { destinationStatusChanged(id: $id) { status headers { name value valueHint } } }`;

type Header = { name: string; value: string };
const valueOf = (headers: Header[], name: string) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

forEachDatabase('destination secrets', (ctx) => {
  const receiver = useReceiver();
  const live = useLiveSubscriptions(ctx);

  it('encrypts custom header values at rest and shows them to ADMIN only (hints for the rest, in subscriptions too); receivers get them', async () => {
    const t = ctx();
    receiver.reset();
    const r = await wireRoute(t, receiver.url, {
      headers: [
        { name: 'X-Api-Key', value: 'api-key-value-0001' },
        { name: 'X-Tenant', value: 'acme' },
      ],
      auth: { type: 'BEARER', token: 'abc' },
    });
    const stored = await t.app.services.db.dataSource.query(`SELECT * FROM destinations WHERE id = ?`, [r.destinationId]);
    assert.ok(!JSON.stringify(stored).includes('api-key-value-0001'), 'sealed at rest');

    const admin = (await t.gql(READ, { id: r.destinationId })).data.node;
    assert.deepEqual(admin.headers, [
      { name: 'X-Api-Key', value: 'api-key-value-0001', valueHint: '…0001' },
      { name: 'X-Tenant', value: 'acme', valueHint: '…e' },
    ]);
    assert.equal(admin.auth.secretHint, '…', 'a 3-character token hints nothing');
    for (const role of ['VIEWER', 'PUBLISHER'] as const) {
      const read = await t.gql(READ, { id: r.destinationId }, await createKey(t, role));
      assert.equal(read.errors, undefined, JSON.stringify(read.errors));
      assert.deepEqual(
        read.data.node.headers,
        [
          { name: 'X-Api-Key', value: null, valueHint: '…0001' },
          { name: 'X-Tenant', value: null, valueHint: '…e' },
        ],
        role,
      );
    }
    const listed = await t.gql(`{ destinations(first: 100) { nodes { headers { name value } } } }`, {}, await createKey(t, 'VIEWER'));
    assert.ok(!JSON.stringify(listed.data).includes('api-key-value-0001'));

    const viewerStream = await live('VIEWER', STATUS, { id: r.destinationId });
    const adminStream = await live('ADMIN', STATUS, { id: r.destinationId });
    await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { userErrors { code } } }`, { id: r.destinationId });
    const seenByViewer = (await viewerStream.next(10_000)).data!.destinationStatusChanged;
    const seenByAdmin = (await adminStream.next(10_000)).data!.destinationStatusChanged;
    assert.equal(seenByViewer.status, 'PAUSED');
    assert.deepEqual(
      seenByViewer.headers.map((h: { value: string | null }) => h.value),
      [null, null],
    );
    assert.deepEqual(
      seenByAdmin.headers.map((h: { value: string | null }) => h.value),
      ['api-key-value-0001', 'acme'],
    );
    await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { userErrors { code } } }`, { id: r.destinationId });

    const { deliveryId } = await publish(t, { type: r.type });
    const [got] = await receiver.waitFor(1);
    assert.equal(got!.headers['x-api-key'], 'api-key-value-0001', 'sent as given');
    assert.equal(got!.headers['x-tenant'], 'acme');
    assert.equal(got!.headers.authorization, 'Bearer abc');
    const delivery = await waitDelivery(t, deliveryId, terminal);
    assert.equal(valueOf(delivery.attempts.nodes[0]!.requestHeaders, 'X-Api-Key'), '[REDACTED]');

    const replaced = await t.gql(
      `mutation($id: ID!) { destinationUpdate(id: $id, input: { headers: [{ name: "X-Api-Key", value: "api-key-value-0002" }] }) { destination { headers { name value valueHint } } userErrors { code } } }`,
      { id: r.destinationId },
    );
    assert.deepEqual(replaced.data.destinationUpdate.destination.headers, [{ name: 'X-Api-Key', value: 'api-key-value-0002', valueHint: '…0002' }]);
  });

  it('redacts a header named X-Signature-Auth in dry runs, test sends and stored attempts, as any name that says auth', async () => {
    const t = ctx();
    receiver.reset();
    const r = await wireRoute(t, receiver.url, {
      headers: [
        { name: 'X-Signature-Auth', value: 'sig-auth-value-1' },
        { name: 'X-Request-Source', value: 'hookgraph' },
      ],
    });
    const dry = await t.gql(`mutation($id: ID!, $type: String!) { webhookDryRun(id: $id, eventType: $type) { request { headers { name value } } } }`, {
      id: r.webhookId,
      type: r.type,
    });
    const test = await t.gql(
      `mutation($id: ID!) { destinationTest(id: $id, eventType: "x.test") { attempt { requestHeaders { name value } } userErrors { code } } }`,
      {
        id: r.destinationId,
      },
    );
    const { deliveryId } = await publish(t, { type: r.type });
    const delivery = await waitDelivery(t, deliveryId, terminal);
    const shown: [string, Header[]][] = [
      ['dry run', dry.data.webhookDryRun.request.headers],
      ['test send', test.data.destinationTest.attempt.requestHeaders],
      ['stored attempt', delivery.attempts.nodes[0]!.requestHeaders],
    ];
    for (const [where, headers] of shown) {
      assert.equal(valueOf(headers, 'X-Signature-Auth'), '[REDACTED]', where);
      assert.equal(valueOf(headers, 'X-Request-Source'), 'hookgraph', `${where}: a harmless name stays readable`);
      assert.match(valueOf(headers, 'webhook-signature') ?? '', /^v1,/, `${where}: signatures stay readable`);
    }
    const sent = await receiver.waitFor(2);
    assert.ok(
      sent.every((got) => got.headers['x-signature-auth'] === 'sig-auth-value-1'),
      'the receiver gets the value',
    );
  });

  it('refuses absurd rate limits (perSecond: 1e-300) with userErrors and keeps the limit it had', async () => {
    const t = ctx();
    const create = `mutation($input: DestinationCreateInput!) { destinationCreate(input: $input) { destination { id } userErrors { field message code } } }`;
    for (const perSecond of [1e-300, 0.0001, 1e6]) {
      const res = await t.gql(create, { input: { name: `limit-${perSecond}`, url: receiver.url, rateLimit: { perSecond } } });
      assert.deepEqual(
        res.data.destinationCreate.userErrors.map((e: { field: string[]; code: string }) => [e.field, e.code]),
        [[['rateLimit', 'perSecond'], 'OUT_OF_RANGE']],
        String(perSecond),
      );
      assert.equal(res.data.destinationCreate.destination, null);
    }
    const hourly = await t.gql(create, { input: { name: 'hourly', url: receiver.url, rateLimit: { perSecond: 1 / 3600 } } });
    assert.deepEqual(hourly.data.destinationCreate.userErrors, [], 'one an hour is the slowest rate');
    const id = hourly.data.destinationCreate.destination.id;
    const update = await t.gql(
      `mutation($id: ID!) { destinationUpdate(id: $id, input: { rateLimit: { perSecond: 1e-300 } }) { userErrors { field message code } } }`,
      { id },
    );
    const [error] = update.data.destinationUpdate.userErrors;
    assert.deepEqual([error.field, error.code], [['rateLimit', 'perSecond'], 'OUT_OF_RANGE']);
    assert.match(error.message, /one an hour/);
    const kept = await t.gql(`query($id: ID!) { node(id: $id) { ... on Destination { rateLimit { perSecond } } } }`, { id });
    assert.equal(kept.data.node.rateLimit.perSecond, 1 / 3600);
  });
});
