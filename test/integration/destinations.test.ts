import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '../support/suite';

const CREATE = `mutation($input: DestinationCreateInput!) {
  destinationCreate(input: $input) {
    destination { id name url method format timeoutMs status headers { name value }
      auth { type username secretHint } signing { secretHint customHmac { algorithm encoding header prefix secretHint } }
      retryPolicy { strategy scheduleSeconds maxAttempts } rateLimit { perSecond burst maxConcurrency } }
    signingSecret
    userErrors { field message code }
  }
}`;

forEachDatabase('destinations', (ctx) => {
  it('creates a destination with defaults and returns the signing secret once', async () => {
    const { gql } = ctx();
    const res = await gql(CREATE, { input: { name: 'orders', url: 'https://example.test/hooks' } });
    const payload = res.data.destinationCreate;
    assert.deepEqual(payload.userErrors, []);
    assert.match(payload.signingSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(payload.signingSecret.slice(6), 'base64').length, 32);
    const d = payload.destination;
    assert.equal(d.method, 'POST');
    assert.equal(d.format, 'JSON');
    assert.equal(d.timeoutMs, 15000);
    assert.equal(d.status, 'ACTIVE');
    assert.equal(d.retryPolicy.strategy, 'SCHEDULE');
    assert.deepEqual(d.retryPolicy.scheduleSeconds, [5, 300, 1800, 7200, 18000, 36000, 36000]);
    assert.equal(d.retryPolicy.maxAttempts, 8);
    assert.equal(d.signing.secretHint, `…${payload.signingSecret.slice(-4)}`);

    const read = await gql(`query($id: ID!) { node(id: $id) { id ... on Destination { name signing { secretHint } } } }`, { id: d.id });
    assert.equal(read.data.node.name, 'orders');
    assert.ok(!JSON.stringify(read.data).includes(payload.signingSecret), 'the secret is never readable again');
  });

  it('stores auth, custom HMAC, headers, retry policy and rate limit; secrets only as hints', async () => {
    const { gql } = ctx();
    const res = await gql(CREATE, {
      input: {
        name: 'github-style',
        url: 'http://127.0.0.1:9/in',
        method: 'PUT',
        format: 'FORM_URLENCODED',
        timeoutMs: 2000,
        headers: [{ name: 'X-Tenant', value: 'acme' }],
        auth: { type: 'BASIC', username: 'bob', password: 'hunter2-password' },
        signing: { customHmac: { algorithm: 'SHA256', encoding: 'HEX', header: 'X-Hub-Signature-256', prefix: 'sha256=', secret: 'my-github-secret' } },
        retryPolicy: { strategy: 'EXPONENTIAL', initialIntervalMs: 500, multiplier: 3, maxIntervalMs: 60000, maxAttempts: 5 },
        rateLimit: { perSecond: 10, burst: 20, maxConcurrency: 4 },
      },
    });
    const d = res.data.destinationCreate.destination;
    assert.deepEqual(res.data.destinationCreate.userErrors, []);
    assert.deepEqual(d.auth, { type: 'BASIC', username: 'bob', secretHint: '…word' });
    assert.deepEqual(d.signing.customHmac, { algorithm: 'SHA256', encoding: 'HEX', header: 'X-Hub-Signature-256', prefix: 'sha256=', secretHint: '…cret' });
    assert.deepEqual(d.headers, [{ name: 'X-Tenant', value: 'acme' }]);
    assert.equal(d.retryPolicy.strategy, 'EXPONENTIAL');
    assert.equal(d.retryPolicy.maxAttempts, 5);
    assert.deepEqual(d.rateLimit, { perSecond: 10, burst: 20, maxConcurrency: 4 });
    assert.ok(!JSON.stringify(res.data.destinationCreate.destination).includes('hunter2-password'));
  });

  it('refuses bad input with userErrors and stores nothing', async () => {
    const { gql } = ctx();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: 'x1', url: 'ftp://example.test/' }, 'INVALID_URL', 'url'],
      [{ name: 'x2', url: 'not a url' }, 'INVALID_URL', 'url'],
      [{ name: 'x3', url: 'https://user:pw@example.test/' }, 'INVALID_URL', 'url'],
      [{ name: 'x4', url: 'https://example.test/', timeoutMs: 5 }, 'OUT_OF_RANGE', 'timeoutMs'],
      [{ name: 'x5', url: 'https://example.test/', headers: [{ name: 'webhook-signature', value: 'x' }] }, 'RESERVED_HEADER', 'headers'],
      [{ name: 'x6', url: 'https://example.test/', headers: [{ name: 'X-Hookgraph-Event', value: 'x' }] }, 'RESERVED_HEADER', 'headers'],
      [{ name: 'x7', url: 'https://example.test/', auth: { type: 'BASIC', username: 'u' } }, 'INVALID', 'auth'],
      [{ name: 'x8', url: 'https://example.test/', retryPolicy: { maxAttempts: 0 } }, 'OUT_OF_RANGE', 'retryPolicy'],
      [{ name: '', url: 'https://example.test/' }, 'INVALID', 'name'],
    ];
    for (const [input, code, field] of cases) {
      const res = await gql(CREATE, { input });
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      const [error] = res.data.destinationCreate.userErrors;
      assert.equal(error?.code, code, `${JSON.stringify(input)} → ${JSON.stringify(error)}`);
      assert.equal(error.field[0], field);
      assert.equal(res.data.destinationCreate.destination, null);
    }
    const dup = await gql(CREATE, { input: { name: 'orders', url: 'https://example.test/2' } });
    assert.equal(dup.data.destinationCreate.userErrors[0].code, 'DUPLICATE_NAME');
    const list = await gql(`{ destinations(first: 100) { totalCount nodes { name } } }`);
    assert.equal(list.data.destinations.totalCount, 2);
  });

  it('updates, rotates the secret with an overlap, and deletes', async () => {
    const { gql } = ctx();
    const created = (await gql(CREATE, { input: { name: 'rotating', url: 'https://example.test/r' } })).data.destinationCreate;
    const id = created.destination.id;
    const upd = await gql(
      `mutation($id: ID!, $input: DestinationUpdateInput!) { destinationUpdate(id: $id, input: $input) { destination { url status statusReason timeoutMs } userErrors { code } } }`,
      { id, input: { url: 'https://example.test/r2', status: 'PAUSED', timeoutMs: 3000 } },
    );
    assert.deepEqual(upd.data.destinationUpdate.destination, {
      url: 'https://example.test/r2',
      status: 'PAUSED',
      statusReason: 'set to PAUSED by an operator',
      timeoutMs: 3000,
    });
    const rot = await gql(
      `mutation($id: ID!) { destinationRotateSecret(id: $id) { signingSecret destination { signing { secretHint previousSecretExpiresAt } } userErrors { code } } }`,
      { id },
    );
    const rotated = rot.data.destinationRotateSecret;
    assert.notEqual(rotated.signingSecret, created.signingSecret);
    assert.equal(rotated.destination.signing.secretHint, `…${rotated.signingSecret.slice(-4)}`);
    const overlapHours = (Date.parse(rotated.destination.signing.previousSecretExpiresAt) - Date.now()) / 3_600_000;
    assert.ok(overlapHours > 23.9 && overlapHours <= 24, `overlap ${overlapHours} h`);

    const del = await gql(`mutation($id: ID!) { destinationDelete(id: $id) { deletedId userErrors { code } } }`, { id });
    assert.equal(del.data.destinationDelete.deletedId, id);
    const again = await gql(`mutation($id: ID!) { destinationDelete(id: $id) { deletedId userErrors { code field } } }`, { id });
    assert.deepEqual(again.data.destinationDelete.userErrors, [{ code: 'NOT_FOUND', field: ['id'] }]);
    const gone = await gql(`query($id: ID!) { node(id: $id) { id } }`, { id });
    assert.equal(gone.data.node, null);
  });
});
