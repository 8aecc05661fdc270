import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { crawlPage } from '../support/pages';

describe('dashboard: static files', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite');
  });
  after(async () => {
    await t?.stop();
  });

  it('serves the page with a strict content security policy and no key needed', async () => {
    for (const path of ['/dashboard', '/dashboard/']) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(res.headers.get('content-security-policy')!, /script-src 'self'/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const html = await res.text();
      assert.match(html, /<script type="module" src="\/dashboard\/app.js">/);
    }
  });

  it('serves its script, its style and the graphql-ws browser client, nothing from the internet', async () => {
    const seen = await crawlPage(t.url, ['/dashboard/index.html', '/dashboard/app.js', '/dashboard/app.css', '/dashboard/vendor/graphql-ws/client.js']);
    assert.ok(
      [...seen].some((p) => /\/vendor\/graphql-ws\/common-/.test(p)),
      'the client chunk is imported and served',
    );
    const js = await fetch(`${t.url}/dashboard/app.js`);
    assert.match(js.headers.get('content-type')!, /^text\/javascript/);
  });

  it('answers 404 for unknown files and 405 for other methods', async () => {
    assert.equal((await fetch(`${t.url}/dashboard/nope.js`)).status, 404);
    assert.equal((await fetch(`${t.url}/dashboard/../package.json`)).status, 404);
    assert.equal((await fetch(`${t.url}/dashboard/vendor/graphql-ws/server.js`)).status, 404);
    assert.equal((await fetch(`${t.url}/dashboard`, { method: 'POST', body: 'x' })).status, 405);
  });
});
