import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '../support/suite';

forEachDatabase('HTTP and GraphQL hardening', (ctx) => {
  it('serves /healthz and /readyz', async () => {
    const t = ctx();
    const health = await fetch(`${t.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { database: string }).database, 'ok');
    assert.equal((await fetch(`${t.url}/nope`)).status, 404);
  });

  it('refuses queries deeper than 10 levels or with more than 15 aliases', async () => {
    const t = ctx();
    const eight = `{ deliveries { edges { node { attempts { edges { node { requestHeaders { name } } } } } } } }`;
    assert.equal((await t.gql(eight)).errors, undefined, 'depth 8 is fine');
    // The schema has no cycles today, so an 11-deep selection also names unknown fields;
    // the depth rule still reports it alongside.
    let selection = 'id';
    for (let i = 0; i < 10; i++) selection = `level${i} { ${selection} }`;
    const res = await t.gql(`{ ${selection} }`);
    const messages = (res.errors ?? []).map((e) => e.message);
    assert.ok(
      messages.some((m) => /depth 11 exceeds the limit of 10/.test(m)),
      messages.join('; '),
    );
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: destinations { totalCount }`).join(' ');
    const aliased = await t.gql(`{ ${aliases} }`);
    assert.match(aliased.errors?.[0]?.message ?? '', /16 aliases exceed the limit of 15/);
    const fifteen = Array.from({ length: 15 }, (_, i) => `a${i}: __typename`).join(' ');
    assert.equal((await t.gql(`{ ${fifteen} }`)).errors, undefined);
  });

  it('refuses oversize queries and bodies, bad JSON, and requests without a key', async () => {
    const t = ctx();
    const auth = { authorization: `Bearer ${t.adminKey}` };
    const long = await t.gql(`{ __typename ${' '.repeat(21_000)} }`);
    assert.equal(long.status, 400);
    assert.equal(long.errors?.[0]?.extensions?.code, 'QUERY_TOO_LARGE');
    const huge = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    assert.equal(huge.status, 413);
    const badJson = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"query": ' });
    assert.equal(badJson.status, 400);
    // What a browser form can send cross-site carries no Authorization header: 401.
    const form = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    assert.equal(form.status, 401);
    const formGet = await fetch(`${t.url}/graphql?query=%7B__typename%7D`);
    assert.equal(formGet.status, 401);
    // With a key, a body that is not JSON is still refused.
    const plain = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    assert.equal(plain.status, 400);
  });

  it('answers GET queries that carry a key, as curl and urql send them, and refuses GET mutations', async () => {
    const t = ctx();
    const auth = { authorization: `Bearer ${t.adminKey}` };
    const query = encodeURIComponent('query($n: Int) { destinations(first: $n) { totalCount } }');
    const get = await fetch(`${t.url}/graphql?query=${query}&variables=${encodeURIComponent('{"n":5}')}`, { headers: auth });
    assert.equal(get.status, 200);
    assert.deepEqual(await get.json(), { data: { destinations: { totalCount: 0 } } });
    const mutation = encodeURIComponent('mutation { destinationCreate(input: { name: "via-get", url: "https://x.test" }) { destination { id } } }');
    const getMutation = await fetch(`${t.url}/graphql?query=${mutation}`, { headers: auth });
    assert.equal(getMutation.status, 405);
    assert.equal(((await getMutation.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code, 'BAD_REQUEST');
    assert.equal((await t.gql(`{ destinations { totalCount } }`)).data.destinations.totalCount, 0, 'the GET mutation made nothing');
    // The query limits apply to GET as to POST: 2,100 list items, a token each, refused before parsing.
    const many = await fetch(`${t.url}/graphql?query=${encodeURIComponent(`{ events(type: [${'1 '.repeat(2100)}]) { totalCount } }`)}`, { headers: auth });
    assert.equal(many.status, 400);
    const [error] = ((await many.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors;
    assert.equal(error?.extensions.code, 'QUERY_TOO_LARGE');
    assert.match(error.message, /more than 2000 tokens/);
  });

  it('masks nothing a caller needs: a mutation business failure is not an internal error', async () => {
    const t = ctx();
    const res = await t.gql(`mutation { destinationDelete(id: "garbage") { deletedId userErrors { code message } } }`);
    assert.equal(res.errors, undefined);
    assert.equal(res.data.destinationDelete.userErrors[0].code, 'NOT_FOUND');
  });
});
