import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { postRaw } from '../support/inbound';
import { forEachDatabase } from '../support/suite';

const json = { 'content-type': 'application/json' };
const UPDATE = `mutation($id: ID!, $input: ListenerUpdateInput!) {
  listenerUpdate(id: $id, input: $input) { listener { url verification { type header secretHint } } secret userErrors { field code } }
}`;

const update = async (t: TestApp, id: string, input: Record<string, unknown>) => {
  const res = await t.gql(UPDATE, { id, input });
  assert.deepEqual(res.data.listenerUpdate.userErrors, []);
  return res.data.listenerUpdate as { listener: { url: string; verification: { type: string; secretHint: string | null } }; secret: string | null };
};

forEachDatabase('listener updates', (ctx) => {
  it('rotates an HMAC secret: shown once, the old one stops verifying at once, keeping it needs no secret', async () => {
    const t = ctx();
    const created = await t.gql(
      `mutation { listenerCreate(input: { name: "rotating", eventType: "rot.test", verification: { type: HMAC, header: "X-Sig", secret: "first-secret-1" } }) { listener { id url } } }`,
    );
    const { id, url } = created.data.listenerCreate.listener;
    const body = '{"n":1}';
    const sign = (key: string) => ({ ...json, 'x-sig': createHmac('sha256', key).update(body).digest('hex') });
    assert.equal((await postRaw(url, body, sign('first-secret-1'))).status, 204);

    const rotated = await update(t, id, { verification: { type: 'HMAC', header: 'X-Sig', secret: 'second-secret-2' } });
    assert.equal(rotated.secret, 'second-secret-2');
    assert.equal(rotated.listener.verification.secretHint, '…t-2', 'a quarter of 15 characters: 3');
    assert.equal((await postRaw(url, body, sign('first-secret-1'))).status, 401);
    assert.equal((await postRaw(url, body, sign('second-secret-2'))).status, 204);

    const kept = await update(t, id, { verification: { type: 'HMAC', header: 'X-Other' } });
    assert.equal(kept.secret, null, 'no new secret, nothing shown');
    assert.equal(kept.listener.verification.secretHint, '…t-2');
    const moved = { ...json, 'x-other': sign('second-secret-2')['x-sig'] };
    assert.equal((await postRaw(url, body, moved)).status, 204);
  });

  it('choosing SECRET_URL makes a new URL, shown once; the old URL stops answering', async () => {
    const t = ctx();
    const created = await t.gql(`mutation { listenerCreate(input: { name: "to-secret", eventType: "sec.url" }) { listener { id url } } }`);
    const { id, url: publicUrl } = created.data.listenerCreate.listener;
    assert.equal((await postRaw(publicUrl, '{}', json)).status, 204);

    const first = await update(t, id, { verification: { type: 'SECRET_URL' } });
    assert.ok(first.secret && first.listener.url.endsWith(`/in/${first.secret}`), 'the new URL is shown in this payload');
    assert.notEqual(first.listener.url, publicUrl);
    assert.equal((await postRaw(publicUrl, '{}', json)).status, 404);
    assert.equal((await postRaw(first.listener.url, '{}', json)).status, 204);

    const again = await update(t, id, { verification: { type: 'SECRET_URL' } });
    assert.notEqual(again.secret, first.secret, 'choosing it again never re-reveals the current URL');
    assert.equal((await postRaw(first.listener.url, '{}', json)).status, 404);
    assert.equal((await postRaw(again.listener.url, '{}', json)).status, 204);

    const listed = await update(t, id, { name: 'to-secret-renamed' });
    assert.equal(listed.secret, null);
    assert.ok(!listed.listener.url.includes(again.secret!), 'later payloads hide it');
  });
});
