import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Database } from '../../src/database/database';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/destination/destination.defaults';
import { SecretBox, newSigningSecret } from '../../src/domain/secrets/secret-box';
import { newId } from '../../src/domain/common/ids';
import { startTestApp } from '../support/app';
import { databaseKinds, freshDatabase, MYSQL_SKIP_MESSAGE } from '../support/databases';
import { createKey } from '../support/fixtures';
import { postRaw } from '../support/inbound';
import { useReceiver } from '../support/receiver';
import { publish } from '../support/publish';

const json = { 'content-type': 'application/json' };

const listenerColumns = async (db: Database) =>
  db.dataSource.options.type === 'mysql'
    ? ((await db.dataSource.query(`SHOW COLUMNS FROM listeners`)) as { Field: string }[]).map((c) => c.Field)
    : ((await db.dataSource.query(`PRAGMA table_info(listeners)`)) as { name: string }[]).map((c) => c.name);

/** Back to the listeners table as it was before tokens were hashed (and whatever came after). */
async function undoTokenHashing(db: Database): Promise<void> {
  for (let i = 0; i < 50 && (await listenerColumns(db)).includes('token_hash'); i++) await db.dataSource.undoLastMigration();
  assert.ok((await listenerColumns(db)).includes('token'));
}

function verification(type: string, box: SecretBox, secret: string | null, hint: string | null) {
  return JSON.stringify({
    type,
    username: type === 'BASIC' ? 'u' : null,
    algorithm: null,
    encoding: null,
    header: null,
    prefix: null,
    tokenPath: null,
    tokenHeader: null,
    secretSealed: secret && box.seal(secret),
    secretHint: hint,
  });
}

/**
 * Rows as versions before secrets were hardened stored them: listener URL tokens in clear,
 * custom header values in clear, hints that showed a short secret whole. The migration
 * hashes the tokens; the start seals the headers and shortens the hints (it needs the
 * master key).
 */
for (const kind of databaseKinds()) {
  describe(`${kind}: secrets stored by earlier versions`, () => {
    const receiver = useReceiver();

    it('hashes listener URL tokens, seals custom header values and shortens hints; hashing undoes', async () => {
      const fresh = await freshDatabase(kind);
      const secretKey = randomBytes(32).toString('hex');
      const box = new SecretBox(Buffer.from(secretKey, 'hex'));
      const db = await Database.open(fresh.config);
      await db.migrate();
      await undoTokenHashing(db);

      const secretToken = randomBytes(24).toString('base64url');
      const openToken = randomBytes(24).toString('base64url');
      const [secretUrl, basic, destinationId] = [newId('listener'), newId('listener'), newId('destination')];
      const now = Date.now();
      const listener = (id: string, token: string, v: string) =>
        db.dataSource.query(
          `INSERT INTO listeners (id, name, token, event_type, verification, rate_limit, response, created_at, updated_at) VALUES (?, ?, ?, 'legacy.in', ?, ?, ?, ?, ?)`,
          [
            id,
            id,
            token,
            v,
            JSON.stringify({ capacity: 1000, refillPerSecond: 300 }),
            JSON.stringify({ statusCode: 204, mediaType: null, bodyTemplate: null }),
            now,
            now,
          ],
        );
      await listener(secretUrl, secretToken, verification('SECRET_URL', box, null, `…${secretToken.slice(-4)}`));
      await listener(basic, openToken, verification('BASIC', box, 'pw1', '…pw1'));
      const signingSecret = newSigningSecret();
      await db.dataSource.query(
        `INSERT INTO destinations (id, name, url, method, format, timeout_ms, headers, auth_type, auth_secret_sealed, auth_secret_hint,
           signing_secret_sealed, signing_secret_hint, retry_policy, status, status_changed_at, created_at, updated_at)
         VALUES (?, 'legacy', ?, 'POST', 'JSON', 5000, ?, 'BEARER', ?, '…abc', ?, ?, ?, 'ACTIVE', ?, ?, ?)`,
        [
          destinationId,
          receiver.url,
          JSON.stringify([{ name: 'X-Api-Key', value: 'legacy-key-value' }]),
          box.seal('abc'),
          box.seal(signingSecret),
          `…${signingSecret.slice(-4)}`,
          JSON.stringify(DEFAULT_RETRY_POLICY),
          now,
          now,
          now,
        ],
      );
      await db.migrate();
      await db.close();

      const t = await startTestApp(kind, { HOOKGRAPH_SECRET_KEY: secretKey }, { database: fresh });
      try {
        const atRest = JSON.stringify([
          await t.app.services.db.dataSource.query(`SELECT * FROM listeners`),
          await t.app.services.db.dataSource.query(`SELECT * FROM destinations`),
        ]);
        for (const secret of [secretToken, 'legacy-key-value', '…pw1', '…abc']) assert.ok(!atRest.includes(secret), secret);

        const node = async (id: string, fields: string, key?: string) =>
          (await t.gql(`query($id: ID!) { node(id: $id) { ... on ${fields} } }`, { id }, key)).data.node;
        assert.deepEqual(await node(secretUrl, 'Listener { url verification { secretHint } }'), {
          url: `${t.url}/in/…${secretToken.slice(-4)}`,
          verification: { secretHint: `…${secretToken.slice(-4)}` },
        });
        assert.deepEqual(await node(basic, 'Listener { url verification { secretHint } }'), {
          url: `${t.url}/in/${openToken}`,
          verification: { secretHint: '…' },
        });
        assert.equal((await postRaw(`${t.url}/in/${secretToken}`, '{}', json)).status, 204, 'the secret URL still answers');
        const basicAuth = { authorization: `Basic ${Buffer.from('u:pw1').toString('base64')}` };
        assert.equal((await postRaw(`${t.url}/in/${openToken}`, '{}', { ...json, ...basicAuth })).status, 204);

        assert.deepEqual(await node(destinationId, 'Destination { headers { name value valueHint } auth { secretHint } }'), {
          headers: [{ name: 'X-Api-Key', value: 'legacy-key-value', valueHint: '…alue' }],
          auth: { secretHint: '…' },
        });
        const viewer = await createKey(t, 'VIEWER');
        assert.deepEqual((await node(destinationId, 'Destination { headers { value } }', viewer)).headers, [{ value: null }]);
        const hook = await t.gql(
          `mutation($d: ID!) { webhookCreate(input: { name: "legacy", destinationId: $d, eventTypes: ["legacy.out"] }) { userErrors { code } } }`,
          { d: destinationId },
        );
        assert.deepEqual(hook.data.webhookCreate.userErrors, []);
        await publish(t, { type: 'legacy.out' });
        const [got] = await receiver.waitFor(1);
        assert.equal(got!.headers['x-api-key'], 'legacy-key-value');
        assert.equal(got!.headers.authorization, 'Bearer abc');

        await t.app.stop();
        const reopened = await Database.open(fresh.config);
        try {
          await undoTokenHashing(reopened);
          const tokens = (await reopened.dataSource.query(`SELECT id, token FROM listeners`)) as { id: string; token: string }[];
          const tokenOf = (id: string) => tokens.find((row) => row.id === id)!.token;
          assert.equal(tokenOf(basic), openToken, 'a token that was shown comes back');
          assert.match(tokenOf(secretUrl), /^[A-Za-z0-9_-]{32}$/);
          assert.notEqual(tokenOf(secretUrl), secretToken, 'a token known only by its hash is made anew');
        } finally {
          await reopened.close();
        }
      } finally {
        await t.stop();
      }
    });
  });
}

if (!process.env.TEST_MYSQL_URL) {
  describe('mysql: secrets stored by earlier versions', () => {
    it('runs on MySQL', { skip: MYSQL_SKIP_MESSAGE }, () => undefined);
  });
}
