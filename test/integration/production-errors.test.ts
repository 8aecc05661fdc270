import assert from 'node:assert/strict';
import { getIntrospectionQuery } from 'graphql';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app';
import { subscribe, wsClient } from '../support/ws-client';

type Errors = GraphQLResult['errors'];

const messages = (errors: Errors) => (errors ?? []).map((e) => e.message).join('\n');

// Nothing here reads or writes records, so one database is enough.
describe('sqlite: GraphQL errors in production with introspection off', () => {
  let t: TestApp;
  const clients: Client[] = [];
  before(async () => {
    t = await startTestApp('sqlite', { HOOKGRAPH_PROFILE: 'production', HOOKGRAPH_INTROSPECTION: 'false' });
  });
  after(async () => {
    await t?.stop();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  const wsErrors = async (query: string, variables?: Record<string, unknown>): Promise<Errors> => {
    const client = wsClient(t.url, t.adminKey);
    clients.push(client);
    return (await subscribe(client, query, variables).ended) as Errors;
  };

  it('hides "Did you mean" suggestions, over HTTP and graphql-ws', async () => {
    const field = await t.gql(`{ destinatons { totalCount } }`);
    assert.equal(messages(field.errors), 'Cannot query field "destinatons" on type "Query".');
    const literal = await t.gql(`{ deliveries(filter: { status: [FAILD] }) { totalCount } }`);
    assert.match(messages(literal.errors), /"FAILD"/);
    const variable = await t.gql(`query($s: [DeliveryStatus!]) { deliveries(filter: { status: $s }) { totalCount } }`, { s: ['FAILD'] });
    assert.equal(variable.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(messages(variable.errors), /"FAILD"/);
    const overSocket = await wsErrors(`subscription { deliveryUpdated { statu } }`);
    assert.match(messages(overSocket), /Cannot query field "statu"/);
    const variableOverSocket = await wsErrors(`subscription($s: [DeliveryStatus!]) { deliveryUpdated(filter: { status: $s }) { id } }`, { s: ['FAILD'] });
    assert.equal(variableOverSocket?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(messages(variableOverSocket), /"FAILD"/);
    for (const errors of [field.errors, literal.errors, variable.errors, overSocket, variableOverSocket]) {
      assert.doesNotMatch(messages(errors), /Did you mean|destinations|FAILED|status\b/);
    }
  });

  it('says how to turn introspection on, over HTTP and graphql-ws', async () => {
    for (const query of [`{ __schema { queryType { name } } }`, `{ __type(name: "Event") { name } }`]) {
      const res = await t.gql(query);
      assert.equal(res.status, 400);
      assert.equal(res.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
      assert.match(res.errors![0].message, /introspection is off .*set HOOKGRAPH_INTROSPECTION=true/);
    }
    const overSocket = await wsErrors(`{ __schema { types { name } } }`);
    assert.equal(overSocket?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(messages(overSocket), /HOOKGRAPH_INTROSPECTION=true/);
    assert.deepEqual((await t.gql(`{ __typename }`)).data, { __typename: 'Query' }, '__typename is not introspection');
  });
});

describe('sqlite: GraphQL errors in development', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite');
  });
  after(async () => {
    await t?.stop();
  });

  it('keeps the suggestions and allows introspection', async () => {
    const res = await t.gql(`{ destinatons { totalCount } }`);
    assert.match(messages(res.errors), /Did you mean "destinations"\?/);
    assert.equal((await t.gql(`{ __schema { queryType { name } } }`)).data.__schema.queryType.name, 'Query');
    // The query GraphiQL and code generators send nests 15 deep: the depth limit does not count introspection.
    const full = await t.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    assert.equal(full.errors, undefined, JSON.stringify(full.errors));
    assert.ok(full.data.__schema.types.some((type: { name: string }) => type.name === 'Delivery'));
  });
});
