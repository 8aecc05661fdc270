import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DeliveryAttemptEntity } from '../../src/domain/delivery/delivery-attempt.entity';
import { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { newId } from '../../src/domain/shared/ids';
import { startTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook, publish } from '../support/fixtures';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = Boolean(process.env.CI || process.env.TEST_MYSQL_REQUIRED);
const SKIP = !fs.existsSync(CHROMIUM) && !IN_CI ? `browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)` : false;
/** Where the screenshot goes; look at it after a run. */
const SCREENSHOT = path.join(process.env.TEST_ARTIFACTS_DIR ?? os.tmpdir(), 'hookgraph-dashboard.png');

describe('dashboard in Chromium', { skip: SKIP }, () => {
  let t: TestApp;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  before(async () => {
    t = await startTestApp('sqlite');
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Nothing may leave this machine: any request to another host fails the test.
    const host = new URL(t.url).host;
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.host !== host) throw new Error(`the dashboard requested ${url.href}`);
      return route.continue();
    });
  });

  after(async () => {
    await context?.close();
    await t?.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  const row = (id: string) => page.locator(`#deliveries tbody tr[data-delivery-id="${id}"]`);
  const statusOf = (id: string) => row(id).getAttribute('data-status');
  const waitStatus = (id: string, status: string) =>
    page.waitForSelector(`#deliveries tbody tr[data-delivery-id="${id}"][data-status="${status}"]`, { timeout: 10_000 });

  it('shows deliveries arriving live, cancels and retries them, and opens their attempts', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const dest = await createDestination(t, { name: 'orders-service', url: 'http://192.0.2.1/hooks' });
    // Paused: no dispatcher may act while the test steers the deliveries by hand.
    await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { userErrors { code } } }`, { id: dest.id });
    await createWebhook(t, dest.id, { eventTypes: ['order.*'] });
    const oldest = await publish(t, { type: 'order.created', data: { n: -1 } });
    const earlier = await publish(t, { type: 'order.created', data: { n: 0 } });

    await page.goto(`${t.url}/dashboard`);
    await page.fill('#api-key', t.adminKey);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#connection[data-state="live"]');
    // The page loads what happened before it opened…
    await waitStatus(earlier.deliveries[0].id, 'PENDING');
    const order = () => page.locator('#deliveries tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-delivery-id')));
    assert.deepEqual(await order(), [earlier.deliveries[0].id, oldest.deliveries[0].id], 'newest on top');
    await page.waitForSelector(`#destinations li[data-destination-id="${dest.id}"] .destination-status[data-status="PAUSED"]`);
    await eventually(async () => t.app.realtime.hub.stats().subscribers >= 2);

    // …and what happens while it is open, without a reload.
    const fresh = await publish(t, { type: 'order.paid', data: { n: 1 } });
    const id = fresh.deliveries[0].id;
    await waitStatus(id, 'PENDING');
    assert.equal((await order())[0], id, 'a live delivery goes on top');
    assert.equal(await row(id).locator('.event-type').textContent(), 'order.paid');
    assert.equal(await row(id).locator('.destination').textContent(), 'orders-service');

    await row(id).locator('button[data-action=cancel]').click();
    await waitStatus(id, 'CANCELLED');
    await row(id).locator('button[data-action=retry]').click();
    await waitStatus(id, 'PENDING');

    // A change made elsewhere (here: as the dispatcher records an attempt) arrives live too.
    const { services } = t.app;
    const delivery = (await services.deliveries.get(id))!;
    const now = new Date();
    const attempt = Object.assign(new DeliveryAttemptEntity(), {
      id: newId('attempt'),
      deliveryId: id,
      attemptNumber: 1,
      requestMethod: 'POST',
      requestUrl: 'http://192.0.2.1/hooks',
      requestHeaders: [{ name: 'webhook-id', value: fresh.event.id }],
      requestBody: '{"type":"order.paid"}',
      responseStatusCode: 200,
      responseHeaders: [{ name: 'content-type', value: 'text/plain' }],
      responseBody: 'thanks',
      responseTruncated: false,
      durationMs: 42,
      outcome: 'SUCCESS',
      error: null,
      createdAt: now,
    } satisfies Partial<DeliveryAttemptEntity>);
    await services.db.transaction(async (tx) => {
      await tx.insert(DeliveryAttemptEntity, attempt);
      await tx.update(DeliveryEntity, { id }, { status: 'SUCCEEDED', attemptCount: 1, lastStatusCode: 200, dueAt: null, completedAt: now, updatedAt: now });
    });
    services.signals.emit(
      'deliveryUpdated',
      Object.assign(delivery, { status: 'SUCCEEDED', attemptCount: 1, lastStatusCode: 200, dueAt: null, completedAt: now, updatedAt: now }),
      attempt,
    );
    await waitStatus(id, 'SUCCEEDED');
    assert.equal(await row(id).locator('.response').textContent(), '200');
    assert.equal(await row(id).locator('.duration').textContent(), '42 ms');

    await row(id).click();
    await page.waitForSelector(`#attempts .attempt[data-attempt-id="${attempt.id}"]`);
    assert.match((await page.locator('#attempts .attempt .request').textContent())!, /webhook-id: evt_/);
    assert.match((await page.locator('#attempts .attempt .response').textContent())!, /thanks/);

    // Destination health changes live as well.
    await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { userErrors { code } } }`, { id: dest.id });
    await page.waitForSelector(`#destinations li[data-destination-id="${dest.id}"] .destination-status[data-status="ACTIVE"]`);

    assert.equal(await statusOf(earlier.deliveries[0].id), 'PENDING');
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(fs.statSync(SCREENSHOT).size > 10_000, 'the screenshot shows something');
    assert.deepEqual(pageErrors, []);
  });

  it('says so when the key is refused', async () => {
    const other = await context.newPage();
    try {
      await other.goto(`${t.url}/dashboard`);
      await other.evaluate('sessionStorage.clear()');
      await other.fill('#api-key', 'not-a-real-key');
      await other.click('#key-form button[type=submit]');
      await other.waitForSelector('#connection[data-state="refused"]');
    } finally {
      await other.close();
    }
  });
});
