import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createDestination } from '../support/fixtures';
import { publish } from '../support/publish';
import { forEachDatabase } from '../support/suite';

const KEY_CREATE = `mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { apiKey { id name role keyHint revokedAt } key userErrors { field code } } }`;

forEachDatabase('API keys and roles', (ctx) => {
  it('answers 401 without a key or with an unknown one', async () => {
    const t = ctx();
    const none = await t.gql(`{ destinations { totalCount } }`, {}, null);
    assert.equal(none.status, 401);
    assert.equal(none.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const wrong = await t.gql(`{ destinations { totalCount } }`, {}, 'hg_not-a-real-key');
    assert.equal(wrong.status, 401);
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: '{"query":"{ __typename }"}',
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
  });

  it('creates keys shown once, stored hashed, and enforces roles', async () => {
    const t = ctx();
    const makeKey = async (role: string): Promise<string> => {
      const res = await t.gql(KEY_CREATE, { input: { name: `${role} key`, role } });
      const payload = res.data.apiKeyCreate;
      assert.deepEqual(payload.userErrors, []);
      assert.match(payload.key, /^hg_[A-Za-z0-9_-]{43}$/);
      assert.equal(payload.apiKey.keyHint, `…${payload.key.slice(-4)}`);
      return payload.key;
    };
    const keys = { ADMIN: await makeKey('ADMIN'), PUBLISHER: await makeKey('PUBLISHER'), VIEWER: await makeKey('VIEWER') };
    const stored = await t.app.services.db.dataSource.query('SELECT key_hash FROM api_keys');
    const hashes = stored.map((r: { key_hash: string }) => r.key_hash).join(' ');
    for (const key of Object.values(keys)) assert.ok(!hashes.includes(key), 'the key itself is not stored');

    const listed = await t.gql(`{ apiKeys(first: 10) { nodes { name keyHint } } }`);
    assert.ok(!JSON.stringify(listed.data).includes(keys.ADMIN));

    // VIEWER reads, cannot publish or manage
    assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, keys.VIEWER)).errors, undefined);
    const viewerPublish = await t.gql(`mutation { eventPublish(input: { type: "a.b" }) { event { id } } }`, {}, keys.VIEWER);
    assert.equal(viewerPublish.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(viewerPublish.data, null);
    // PUBLISHER publishes and reads, cannot manage
    const published = await publish(t, { type: 'a.b' }, keys.PUBLISHER);
    assert.deepEqual(published.userErrors, []);
    assert.equal((await t.gql(`{ events { totalCount } }`, {}, keys.PUBLISHER)).errors, undefined);
    const pubCreate = await t.gql(`mutation { destinationCreate(input: { name: "n", url: "https://x.test" }) { destination { id } } }`, {}, keys.PUBLISHER);
    assert.equal(pubCreate.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const pubKeys = await t.gql(`{ apiKeys { totalCount } }`, {}, keys.PUBLISHER);
    assert.equal(pubKeys.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    // a second ADMIN key manages
    const dest = await t.gql(
      `mutation { destinationCreate(input: { name: "by-admin-key", url: "https://x.test" }) { destination { id } userErrors { code } } }`,
      {},
      keys.ADMIN,
    );
    assert.deepEqual(dest.data.destinationCreate.userErrors, []);

    // revoked keys stop working (the lookup cache is cleared on revoke)
    const id =
      listed.data.apiKeys.nodes.length &&
      (await t.gql(`{ apiKeys(first: 10) { nodes { id name } } }`)).data.apiKeys.nodes.find((n: { name: string }) => n.name === 'VIEWER key').id;
    const revoked = await t.gql(`mutation($id: ID!) { apiKeyRevoke(id: $id) { apiKey { revokedAt } userErrors { code } } }`, { id });
    assert.ok(revoked.data.apiKeyRevoke.apiKey.revokedAt);
    assert.equal((await t.gql(`{ destinations { totalCount } }`, {}, keys.VIEWER)).status, 401);
    const unknown = await t.gql(`mutation { apiKeyRevoke(id: "key_01ARZ3NDEKTSV4RRFFQ69G5FAV") { apiKey { id } userErrors { code } } }`);
    assert.deepEqual(unknown.data.apiKeyRevoke.userErrors, [{ code: 'NOT_FOUND' }]);
    const badRole = await t.gql(KEY_CREATE, { input: { name: 'x', role: 'ROOT' } });
    assert.ok(badRole.errors?.length, 'an unknown role is a GraphQL validation error');
  });

  it('tells a key what it is: its role and its tenant', async () => {
    const t = ctx();
    const VIEWER = `{ viewer { role tenantId } }`;
    assert.deepEqual((await t.gql(VIEWER)).data.viewer, { role: 'ADMIN', tenantId: null });
    const made = await t.gql(KEY_CREATE, { input: { name: 'watcher', role: 'VIEWER' } });
    assert.deepEqual((await t.gql(VIEWER, {}, made.data.apiKeyCreate.key)).data.viewer, { role: 'VIEWER', tenantId: null });
    const tenant = await t.gql(`mutation { tenantCreate(input: { uid: "acme" }) { tenant { id } } }`);
    const tenantKey = await t.gql(KEY_CREATE, { input: { name: 'acme publisher', role: 'PUBLISHER', tenant: 'acme' } });
    assert.deepEqual((await t.gql(VIEWER, {}, tenantKey.data.apiKeyCreate.key)).data.viewer, {
      role: 'PUBLISHER',
      tenantId: tenant.data.tenantCreate.tenant.id,
    });
    assert.equal((await t.gql(VIEWER, {}, null)).status, 401);
  });

  it('never returns secrets after creation', async () => {
    const t = ctx();
    const dest = await createDestination(t, { auth: { type: 'BEARER', token: 'tok-supersecret-1234' } });
    const all = await t.gql(`{ destinations(first: 100) { nodes { auth { type secretHint } signing { secretHint } } } }`);
    const text = JSON.stringify(all.data);
    assert.ok(!text.includes(dest.signingSecret) && !text.includes('tok-supersecret-1234'));
    assert.ok(text.includes('…1234'));
    const rows = await t.app.services.db.dataSource.query('SELECT signing_secret_sealed, auth_secret_sealed FROM destinations');
    assert.ok(!JSON.stringify(rows).includes('tok-supersecret-1234'), 'secrets are encrypted at rest');
    assert.ok(!JSON.stringify(rows).includes(dest.signingSecret.slice(6)));
  });
});
