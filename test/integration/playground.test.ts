import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';

/** The pages a browser opens, over plain HTTP: what they are, and that they name no other host. */
describe('sqlite: the index, the playground and the docs pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite');
  });
  after(async () => {
    await t?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers, redirect: 'manual' });

  it('sends / to the index, which links the playground, the dashboard and the docs', async () => {
    const root = await get('/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/index.html');
    const index = await (await get('/index.html')).text();
    for (const href of ['/graphql', '/dashboard', '/docs']) assert.ok(index.includes(`href="${href}"`), href);
  });

  it('answers a browser’s GET /graphql with the playground, without a key; API requests are unchanged', async () => {
    const page = await get('/graphql', { accept: 'text/html,application/xhtml+xml' });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    const html = await page.text();
    assert.match(html, /<title>hookgraph playground<\/title>/);
    assert.doesNotMatch(html, /https?:\/\//, 'no script or style from another host');
    for (const src of [...html.matchAll(/(?:src|href)="(\/playground\/[^"]+)"/g)].map((m) => m[1]!)) {
      assert.equal((await get(src)).status, 200, src);
    }
    // Without a key, an API request is still refused; a GET query with one is answered.
    assert.equal((await get('/graphql')).status, 401);
    const query = await get(`/graphql?query=${encodeURIComponent('{ destinations { totalCount } }')}`, { authorization: `Bearer ${t.adminKey}` });
    assert.equal(query.status, 200);
    assert.deepEqual(((await query.json()) as { data: unknown }).data, { destinations: { totalCount: 0 } });
  });

  it('renders the README at /docs', async () => {
    const docs = await get('/docs');
    assert.equal(docs.status, 200);
    const html = await docs.text();
    assert.match(html, /<h1[^>]*>hookgraph<\/h1>/);
    assert.match(html, /<h2[^>]*>Quick start<\/h2>/);
  });
});
