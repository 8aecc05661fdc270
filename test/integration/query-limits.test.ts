import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Client } from 'graphql-ws';
import type { GraphQLResult, TestApp } from '../support/app';
import { createDestination, createWebhook } from '../support/fixtures';
import { publishBatch } from '../support/publish';
import { forEachDatabase } from '../support/suite';
import { subscribe, wsClient } from '../support/ws-client';

type Errors = GraphQLResult['errors'];

const codeOf = (errors: Errors) => errors?.[0]?.extensions?.code;

/** A VIEWER key: the least a caller needs to send these queries. */
async function viewerKey(t: TestApp): Promise<string> {
  const res = await t.gql(`mutation { apiKeyCreate(input: { name: "viewer", role: VIEWER }) { key } }`);
  return res.data.apiKeyCreate.key;
}

/** Publishes `count` events of type `type` whose data is about `bytes` bytes each. */
async function publishSized(t: TestApp, type: string, count: number, bytes: number): Promise<void> {
  await publishBatch(t, { type, syncMode: 'APPEND', rows: Array.from({ length: count }, (_, i) => ({ id: `row-${i}`, pad: 'x'.repeat(bytes) })) });
}

/** `query` sent while /healthz is asked at the same moment: the server must answer both. */
async function whileHealthy(t: TestApp, query: string, key: string): Promise<GraphQLResult & { ms: number }> {
  const started = performance.now();
  const [result, health] = await Promise.all([t.gql(query, {}, key), fetch(`${t.url}/healthz`)]);
  assert.equal(health.status, 200, '/healthz answers while the query is handled');
  return { ...result, ms: performance.now() - started };
}

/** The errors a graphql-ws operation ends with (undefined when it completed). */
async function wsErrors(client: Client, query: string, variables?: Record<string, unknown>): Promise<Errors> {
  const stream = subscribe(client, query, variables);
  return (await stream.ended) as Errors;
}

forEachDatabase('GraphQL query limits', (ctx) => {
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  const ws = (key: string) => {
    const client = wsClient(ctx().url, key);
    clients.push(client);
    return client;
  };

  it('refuses 15 aliased pages of event data by their cost, before running them', async () => {
    const t = ctx();
    await publishSized(t, 'limits.page', 100, 4096);
    const key = await viewerKey(t);
    const page = await t.gql(`{ events(first: 100, type: ["limits.page"]) { nodes { data } } }`, {}, key);
    assert.equal(page.errors, undefined, 'one full page of data is within the limit');
    assert.equal(page.data.events.nodes.length, 100);

    const pages = Array.from({ length: 15 }, (_, i) => `p${i}: events(first: 100) { nodes { data } }`).join(' ');
    const attack = await whileHealthy(t, `{ ${pages} }`, key);
    assert.equal(attack.status, 400);
    assert.equal(codeOf(attack.errors), 'QUERY_TOO_COMPLEX');
    assert.match(attack.errors?.[0]?.message ?? '', /estimated cost is \d+, above the limit of 10000/);
    assert.equal(attack.data, undefined, 'nothing ran');

    // Nested pages multiply, and a page without `first` counts as the default 20.
    const nested = await t.gql(`{ deliveries(first: 100) { nodes { attempts { nodes { responseBody } } } } }`, {}, key);
    assert.equal(codeOf(nested.errors), 'QUERY_TOO_COMPLEX');
    // Fragments spread into each other: 2^20 fields from a few hundred characters.
    let fragments = 'fragment F20 on Query { __typename }';
    for (let i = 19; i >= 0; i -= 1) fragments += ` fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`;
    const bomb = await t.gql(`{ ...F0 } ${fragments}`, {}, key);
    assert.equal(codeOf(bomb.errors), 'QUERY_TOO_COMPLEX');
    assert.match(bomb.errors?.[0]?.message ?? '', /expands to more than 10000 fields/);

    // One text, costed by the page sizes its variables give, each time it is sent.
    const sized = `query($n: Int, $withData: Boolean!) { ${Array.from({ length: 3 }, (_, i) => `p${i}: events(first: $n) { nodes { id data @include(if: $withData) } }`).join(' ')} }`;
    assert.equal((await t.gql(sized, { n: 10, withData: true }, key)).errors, undefined);
    assert.equal(codeOf((await t.gql(sized, { n: 100, withData: true }, key)).errors), 'QUERY_TOO_COMPLEX');
    assert.equal((await t.gql(sized, { n: 100, withData: false }, key)).errors, undefined, 'without the data the pages cost little');
    assert.equal((await t.gql(sized, { n: 10, withData: true }, key)).errors, undefined);
  });

  it('refuses a 20 KB query of repeated fields by its tokens, before validating it', async () => {
    const t = ctx();
    const key = await viewerKey(t);
    const repeated = 'deliveries { nodes { event { data } attempts { nodes { requestBody responseBody } } } } ';
    const query = `{ ${repeated.repeat(Math.floor(19_900 / repeated.length))} }`;
    assert.ok(query.length > 19_000 && query.length < 20_000, 'under the length limit');
    const res = await whileHealthy(t, query, key);
    assert.equal(res.status, 400);
    assert.equal(codeOf(res.errors), 'QUERY_TOO_LARGE');
    assert.match(res.errors?.[0]?.message ?? '', /more than 2000 tokens/);
    // Validating it took about a second; counting its tokens takes a few milliseconds.
    assert.ok(res.ms < 500, `refused in ${Math.round(res.ms)} ms`);
  });

  it('refuses a list of more than 1000 items in a variable as bad input, over HTTP and graphql-ws', async () => {
    const t = ctx();
    const many = Array.from({ length: 40_000 }, (_, i) => `type.${i}`);
    const events = await t.gql(`query($t: [String!]) { events(type: $t) { totalCount } }`, { t: many });
    assert.equal(events.status, 400);
    assert.equal(codeOf(events.errors), 'BAD_USER_INPUT');
    assert.match(events.errors?.[0]?.message ?? '', /^\$t holds more than 1000 items/);
    const deliveries = await t.gql(`query($f: DeliveryFilter) { deliveries(filter: $f) { totalCount } }`, { f: { eventType: many } });
    assert.equal(codeOf(deliveries.errors), 'BAD_USER_INPUT');
    assert.match(deliveries.errors?.[0]?.message ?? '', /^\$f\.eventType holds more than 1000 items/);
    const statuses = await t.gql(`query($s: [DeliveryStatus!]) { deliveries(filter: { status: $s }) { totalCount } }`, { s: Array(40_000).fill('FAILED') });
    assert.equal(codeOf(statuses.errors), 'BAD_USER_INPUT');

    // A mutation with such a list changes nothing.
    const { id } = await createDestination(t);
    const webhook = await t.gql(`mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { webhook { id } } }`, {
      input: { name: 'too-many-types', destinationId: id, eventTypes: many },
    });
    assert.equal(codeOf(webhook.errors), 'BAD_USER_INPUT');
    assert.equal((await t.gql(`{ webhooks { totalCount } }`)).data.webhooks.totalCount, 0);

    // 1000 items are fine.
    const thousand = await t.gql(`query($t: [String!]) { events(type: $t) { totalCount } }`, { t: many.slice(0, 1000) });
    assert.deepEqual(thousand, { status: 200, data: { events: { totalCount: 0 } }, errors: undefined });

    const errors = await wsErrors(ws(t.adminKey), `subscription($t: [String!]) { eventPublished(types: $t) { id } }`, { t: many });
    assert.equal(codeOf(errors), 'BAD_USER_INPUT');
    await createWebhook(t, id);
  });

  it('applies the token and cost limits to graphql-ws operations', async () => {
    const t = ctx();
    const client = ws(await viewerKey(t));
    const pages = Array.from({ length: 15 }, (_, i) => `p${i}: events(first: 100) { nodes { data } }`).join(' ');
    assert.equal(codeOf(await wsErrors(client, `{ ${pages} }`)), 'QUERY_TOO_COMPLEX');
    assert.equal(codeOf(await wsErrors(client, `subscription { eventPublished { id ${'type '.repeat(2000)} } }`)), 'QUERY_TOO_LARGE');
    const unknown = await wsErrors(client, `subscription { nothingHere { id } }`);
    assert.equal(codeOf(unknown), 'GRAPHQL_VALIDATION_FAILED');
    const syntax = await wsErrors(client, `subscription { eventPublished { id }`);
    assert.equal(codeOf(syntax), 'GRAPHQL_PARSE_FAILED');
    assert.equal(await wsErrors(client, `{ events(first: 5) { nodes { id } } }`), undefined, 'a modest query over the socket runs');
  });
});

forEachDatabase(
  'GraphQL limits as configured',
  (ctx) => {
    it('refuses a query answer over HOOKGRAPH_MAX_RESPONSE_BYTES, over HTTP and graphql-ws, but not a mutation answer', async () => {
      const t = ctx();
      await publishSized(t, 'limits.size', 20, 8192);
      const small = await t.gql(`{ events(first: 5) { nodes { data } } }`);
      assert.equal(small.errors, undefined);
      assert.equal(small.data.events.nodes.length, 5);

      const big = await whileHealthy(t, `{ events(first: 20) { nodes { data } } }`, t.adminKey);
      assert.equal(codeOf(big.errors), 'RESPONSE_TOO_LARGE');
      assert.match(big.errors?.[0]?.message ?? '', /larger than 65536 bytes/);
      assert.equal(big.data, undefined, 'no part of the answer is sent');

      const client = wsClient(t.url, t.adminKey);
      try {
        const overSocket = await subscribe(client, `{ events(first: 20) { nodes { data } } }`).next();
        assert.equal(codeOf(overSocket.errors as Errors), 'RESPONSE_TOO_LARGE');
        assert.equal(overSocket.data, undefined);
      } finally {
        await client.dispose();
      }

      // The mutation has taken effect: its answer goes out whatever its size.
      const rows = Array.from({ length: 20 }, (_, i) => ({ id: `m-${i}`, pad: 'y'.repeat(8192) }));
      const published = await t.gql(
        `mutation($rows: [JSON!]!) { eventPublishBatch(input: { type: "limits.mutation", syncMode: APPEND, rows: $rows }) { events { data } } }`,
        {
          rows,
        },
      );
      assert.equal(published.errors, undefined);
      assert.equal(published.data.eventPublishBatch.events.length, 20);
    });

    it('refuses a list of more than 1000 items written in the query, whatever HOOKGRAPH_MAX_QUERY_TOKENS allows', async () => {
      const t = ctx();
      const written = (n: number) => `{ events(type: [${Array.from({ length: n }, (_, i) => `"t${i}"`).join(' ')}]) { totalCount } }`;
      const refused = await t.gql(written(1001));
      assert.equal(refused.status, 400);
      assert.match(refused.errors?.[0]?.message ?? '', /a list holds 1001 items; send at most 1000/);
      assert.deepEqual((await t.gql(written(1000))).data, { events: { totalCount: 0 } });
      const json = await t.gql(
        `mutation { eventPublish(input: { type: "limits.json", data: { items: [${'1 '.repeat(1500)}] } }) { event { id } userErrors { code } } }`,
      );
      assert.deepEqual(json.data.eventPublish.userErrors, [], 'a list inside JSON data is data, not an argument');
    });

    it('refuses by HOOKGRAPH_MAX_QUERY_COST', async () => {
      const t = ctx();
      assert.equal((await t.gql(`{ destinations(first: 100) { nodes { id name url } } }`)).errors, undefined);
      const costly = await t.gql(`{ events(first: 100) { nodes { data } } }`);
      assert.equal(codeOf(costly.errors), 'QUERY_TOO_COMPLEX');
      assert.match(costly.errors?.[0]?.message ?? '', /above the limit of 2000/);
    });
  },
  { HOOKGRAPH_MAX_RESPONSE_BYTES: '65536', HOOKGRAPH_MAX_QUERY_COST: '2000', HOOKGRAPH_MAX_QUERY_TOKENS: '5000' },
);
