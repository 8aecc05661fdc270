import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { BROWSER_SKIP, launchBrowser, type Browser } from '../support/browser';
import { runNode, type Child } from '../support/child';
import { eventually } from '../support/deferred';
import { publish } from '../support/publish';
import { Receiver } from '../support/receiver';

const ROOT = path.resolve(__dirname, '../../..');
/** Where the screenshot goes; look at it after a run. */
const SCREENSHOT = path.join(process.env.TEST_ARTIFACTS_DIR ?? os.tmpdir(), 'hookgraph-examples-page.png');

describe('examples/browser: the live deliveries page in Chromium', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let receiver: Receiver;
  let server: Child;
  let pageUrl: string;
  let browser: Browser;
  let viewerKey: string;
  /** Every host the page asked for something over HTTP. */
  const hosts = new Set<string>();

  before(async () => {
    receiver = await Receiver.start();
    t = await startTestApp('sqlite');
    const dest = await t.gql(`mutation($u: String!) { destinationCreate(input: { name: "page", url: $u }) { destination { id } } }`, { u: receiver.url });
    await t.gql(`mutation($d: ID!) { webhookCreate(input: { name: "orders", destinationId: $d, eventTypes: ["order.*"] }) { webhook { id } } }`, {
      d: dest.data.destinationCreate.destination.id,
    });
    const key = await t.gql(`mutation { apiKeyCreate(input: { name: "page", role: VIEWER }) { key } }`);
    viewerKey = key.data.apiKeyCreate.key;
    server = runNode([path.join(ROOT, 'examples/browser/serve.mjs')], { PORT: '0' }, ROOT);
    pageUrl = await server.waitForCapture(/page: (http:\S+)/);
    browser = await launchBrowser(new URL(pageUrl).host);
    browser.context.on('request', (request) => hosts.add(new URL(request.url()).host));
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    await server?.exited;
    await t?.stop();
    await receiver?.stop();
  });

  it('shows a delivery published after it opened, live, as it succeeds', async () => {
    const { page } = browser;
    await page.goto(`${pageUrl}?api=${encodeURIComponent(t.url)}`);
    await page.fill('input[name=key]', viewerKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('#status[data-state=live]');
    // The page sent its subscribe right after the ack; publish once the server holds it.
    await eventually(async () => t.app.realtime.hub.stats().subscribers >= 1);

    const published = await publish(t, { type: 'order.created', data: { total: 12 } });
    const row = page.locator(`#deliveries tbody tr[data-delivery-id="${published.deliveryId}"]`);
    await row.locator('.status', { hasText: 'SUCCEEDED' }).waitFor();
    assert.equal(await row.locator('.type').textContent(), 'order.created');
    assert.equal(await row.locator('.event').textContent(), published.eventId);
    assert.equal(await row.locator('.code').textContent(), '200');
    assert.equal(await page.locator('#deliveries tbody tr').count(), 1, 'one row per delivery, updated in place');
    assert.deepEqual(browser.pageErrors, []);
    await page.screenshot({ path: SCREENSHOT });
    assert.deepEqual([...hosts], [new URL(pageUrl).host], 'nothing fetched from anywhere but the page’s own server');
  });

  it('connects by itself when the URL carries the key, and says when the key is wrong', async () => {
    const { page } = browser;
    await page.goto(`${pageUrl}?api=${encodeURIComponent(t.url)}#key=${encodeURIComponent(viewerKey)}`);
    await page.waitForSelector('#status[data-state=live]');
    // A new fragment alone would not load the page again.
    await page.goto('about:blank');
    await page.goto(`${pageUrl}?api=${encodeURIComponent(t.url)}#key=not-a-key`);
    await page.waitForSelector('#status[data-state=closed]');
    assert.match((await page.locator('#status').textContent()) ?? '', /Disconnected \(44\d\d/);
  });
});
