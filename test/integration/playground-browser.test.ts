import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';

interface Storage {
  getItem(key: string): string | null;
}
import { startTestApp, type TestApp } from '../support/app';
import { BROWSER_SKIP, launchBrowser, type Browser } from '../support/browser';
import { createKey } from '../support/fixtures';
import { publish } from '../support/publish';

/**
 * The playground in a real browser: GraphiQL from hookgraph's own files, opened with no
 * key, then a key typed in and a query and a subscription run, with nothing requested
 * from any other host.
 */
describe('playground in Chromium', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    t = await startTestApp('sqlite');
    browser = await launchBrowser(new URL(t.url).host);
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** Replaces the operation in GraphiQL's editor and runs it. */
  async function run(operation: string): Promise<void> {
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // CodeMirror closes brackets itself: insert the text as it is.
    await page.keyboard.insertText(operation);
    await page.click('.graphiql-execute-button');
  }

  const response = () => page.locator('.graphiql-response').innerText();

  it('opens without a key, runs a query and a subscription with one, and reaches no other host', async () => {
    const index = await page.goto(t.url);
    assert.equal(new URL(page.url()).pathname, '/index.html', '/ leads to the index');
    assert.equal(index?.status(), 200);
    await page.click('a[href="/graphql"]');
    await page.waitForSelector('.graphiql-container', { timeout: 15_000 });
    assert.match(await page.locator('#key-state').innerText(), /no key/);

    const viewer = await createKey(t, 'VIEWER');
    await page.fill('#api-key', viewer);
    await page.click('#key-form button[type=submit]');
    await page.locator('#key-state', { hasText: 'in use' }).waitFor();
    const stored = await page.evaluate(() => (globalThis as unknown as { sessionStorage: Storage }).sessionStorage.getItem('hookgraph.playground.key'));
    assert.equal(stored, viewer, 'the key stays in this tab only');

    await run('{ destinations { totalCount } }');
    await page.locator('.graphiql-response', { hasText: 'totalCount' }).waitFor({ timeout: 10_000 });
    assert.match(await response(), /"totalCount": 0/);

    await run('subscription { eventPublished(types: ["playground.*"]) { type data } }');
    // The subscription is live once its socket has its connection_ack: publish until an event shows.
    for (let i = 0; i < 50; i += 1) {
      await publish(t, { type: 'playground.ping', data: { n: i } });
      if ((await response()).includes('playground.ping')) break;
      await page.waitForTimeout(100);
    }
    assert.match(await response(), /"type": "playground\.ping"/);
    // The docs explorer reads the schema the key may introspect.
    await page.click('button[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer', { timeout: 5000 });
    assert.match(await page.locator('.graphiql-doc-explorer').innerText(), /Query/);
    assert.deepEqual(browser.pageErrors, []);
  });
});
