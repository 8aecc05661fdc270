import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { crawlPage } from '../support/pages';

const frameAncestors = (res: Response) => /frame-ancestors ([^;]+)/.exec(res.headers.get('content-security-policy') ?? '')?.[1];

describe('portal: static files', () => {
  let t: TestApp;
  let embeddable: TestApp;
  before(async () => {
    t = await startTestApp('sqlite');
    embeddable = await startTestApp('sqlite', { HOOKGRAPH_PORTAL_FRAME_ANCESTORS: 'https://app.example.com, https://*.example.org:8443' });
  });
  after(async () => {
    await t?.stop();
    await embeddable?.stop();
  });

  it('serves the page with a strict content security policy, framed by nobody unless configured', async () => {
    for (const path of ['/portal', '/portal/']) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(res.headers.get('content-security-policy')!, /default-src 'none'; script-src 'self'/);
      assert.equal(frameAncestors(res), "'none'");
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.match(await res.text(), /<script type="module" src="\/portal\/portal.js">/);
    }
    const res = await fetch(`${embeddable.url}/portal`);
    assert.equal(frameAncestors(res), 'https://app.example.com https://*.example.org:8443');
  });

  it('serves its modules and the graphql-ws browser client, nothing from the internet', async () => {
    const seen = await crawlPage(t.url, ['/portal/index.html', '/portal/portal.js', '/portal/portal.css']);
    for (const module of ['/portal/api.js', '/portal/charts.js', '/portal/deliveries.js', '/portal/endpoints.js', '/portal/vendor/graphql-ws/client.js']) {
      assert.ok(seen.has(module), `${module} is imported and served`);
    }
    assert.equal((await fetch(`${t.url}/portal/../package.json`)).status, 404);
    assert.equal((await fetch(`${t.url}/portal`, { method: 'POST', body: 'x' })).status, 405);
  });
});
