import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { BROWSER_SKIP, launchBrowser, type Browser } from '../support/browser';
import { deliveryRow, waitDeliveryStatus } from '../support/dashboard-page';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { publish } from '../support/publish';
import { Receiver } from '../support/receiver';

/** Where the screenshot goes; look at it after a run. */
const SCREENSHOT = path.join(process.env.TEST_ARTIFACTS_DIR ?? os.tmpdir(), 'hookgraph-dashboard.png');

describe('dashboard in Chromium', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let good: Receiver;
  let flaky: Receiver;

  before(async () => {
    good = await Receiver.start();
    flaky = await Receiver.start();
    flaky.behave({ kind: 'status', status: 500 });
    t = await startTestApp('sqlite');
    browser = await launchBrowser(new URL(t.url).host);
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await good?.stop();
    await flaky?.stop();
  });

  const row = (id: string) => deliveryRow(page, id);
  const waitStatus = (id: string, status: string) => waitDeliveryStatus(page, id, status);

  it('shows deliveries turn SUCCEEDED live, retries a FAILED one, cancels, and opens the attempts', async () => {
    const pageErrors = browser.pageErrors;
    const orders = await createDestination(t, { name: 'orders-service', url: `${good.url}/hooks` });
    const billing = await createDestination(t, { name: 'billing-service', url: `${flaky.url}/hooks`, retryPolicy: { maxAttempts: 1 } });
    const parked = await createDestination(t, { name: 'parked-service', url: `${good.url}/parked` });
    await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { userErrors { code } } }`, { id: parked.id });
    await createWebhook(t, orders.id, { eventTypes: ['order.*'] });
    await createWebhook(t, billing.id, { eventTypes: ['invoice.*'] });
    await createWebhook(t, parked.id, { eventTypes: ['report.*'] });
    const oldest = await publish(t, { type: 'order.created', data: { n: -1 } });
    const earlier = await publish(t, { type: 'order.created', data: { n: 0 } });
    await eventually(async () => good.requests.length >= 2);

    await page.goto(`${t.url}/dashboard`);
    await page.fill('#api-key', t.adminKey);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#connection[data-state="live"]');
    // The page loads what happened before it opened, newest on top…
    await waitStatus(earlier.deliveryId, 'SUCCEEDED');
    const order = () => page.locator('#deliveries tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-delivery-id')));
    assert.deepEqual(await order(), [earlier.deliveryId, oldest.deliveryId], 'newest on top');
    await page.waitForSelector(`#destinations li[data-destination-id="${parked.id}"] .destination-status[data-status="PAUSED"]`);
    await eventually(async () => t.app.realtime.hub.stats().subscribers >= 2);

    // …and what happens while it is open, without a reload: published, sent, answered.
    const paid = await publish(t, { type: 'order.paid', data: { n: 1 } });
    const id = paid.deliveryId;
    await waitStatus(id, 'SUCCEEDED');
    assert.equal((await order())[0], id, 'a live delivery goes on top');
    assert.equal(await row(id).locator('.event-type').textContent(), 'order.paid');
    assert.equal(await row(id).locator('.destination').textContent(), 'orders-service');
    assert.equal(await row(id).locator('.attempts').textContent(), '1');
    assert.equal(await row(id).locator('.response').textContent(), '200');
    assert.match((await row(id).locator('.duration').textContent())!, /^\d+ ms$/);

    // A failing receiver: the delivery fails (one attempt allowed); fixed, a click on Retry delivers it.
    const due = await publish(t, { type: 'invoice.due', data: { amount: 12 } });
    const failedId = due.deliveryId;
    await waitStatus(failedId, 'FAILED');
    assert.equal(await row(failedId).locator('.response').textContent(), '500');
    flaky.behave({ kind: 'status', status: 200, body: 'paid, thanks' });
    await row(failedId).locator('button[data-action=retry]').click();
    await waitStatus(failedId, 'SUCCEEDED');
    assert.equal(await row(failedId).locator('.attempts').textContent(), '2');

    // Its attempts, newest first, with request and response.
    await row(failedId).click();
    await page.waitForSelector('#attempts .attempt:nth-child(2)');
    const attempts = await page.locator('#attempts .attempt strong').allTextContents();
    assert.deepEqual(attempts, ['#2 SUCCESS', '#1 HTTP_ERROR']);
    assert.match((await page.locator('#attempts .attempt .request').first().textContent())!, /webhook-id: evt_/);
    assert.match((await page.locator('#attempts .attempt .response').first().textContent())!, /paid, thanks/);
    assert.equal(await page.locator('#detail-summary .status').textContent(), 'SUCCEEDED');

    // A waiting delivery (its destination is paused) can be cancelled.
    const report = await publish(t, { type: 'report.ready' });
    const waitingId = report.deliveryId;
    await row(waitingId).locator('button[data-action=cancel]').click();
    await waitStatus(waitingId, 'CANCELLED');

    // Destination health changes live as well.
    await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { userErrors { code } } }`, { id: parked.id });
    await page.waitForSelector(`#destinations li[data-destination-id="${parked.id}"] .destination-status[data-status="ACTIVE"]`);

    await row(id).click();
    await page.waitForSelector(`#detail-id:text("${id}")`);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(fs.statSync(SCREENSHOT).size > 10_000, 'the screenshot shows something');
    assert.deepEqual(pageErrors, []);
  });

  it('keeps the later of two states of a delivery, whichever arrives last (versions, not clocks)', async () => {
    const other = await browser.context.newPage();
    try {
      await other.goto(`${t.url}/dashboard`);
      await other.fill('#api-key', t.adminKey);
      await other.click('#key-form button[type=submit]');
      await other.waitForSelector('#connection[data-state="live"]');
      const id = 'dlv_01JVERSIONRACE000000000000';
      const shown = async (state: { status: string; version: number; updatedAt: string }) => {
        const row = {
          id,
          tenantId: 'tnt_00000000000000000000000000',
          eventType: 'order.created',
          attemptCount: 1,
          trigger: 'AUTOMATIC',
          lastStatusCode: null,
          lastError: null,
          createdAt: state.updatedAt,
          destination: null,
          latestAttempt: null,
          ...state,
        };
        // A string, not a function: compiled to CommonJS, a function's import() would become require().
        await other.evaluate(`import('/dashboard/deliveries.js').then((m) => m.upsert(${JSON.stringify(row)}, { live: true }))`);
        return other.locator(`#deliveries tbody tr[data-delivery-id="${id}"]`).getAttribute('data-status');
      };
      assert.equal(await shown({ status: 'SUCCEEDED', version: 5, updatedAt: '2026-01-01T00:00:00.000Z' }), 'SUCCEEDED');
      // Announced earlier, arriving later, stamped by a process whose clock runs ahead.
      assert.equal(await shown({ status: 'IN_FLIGHT', version: 4, updatedAt: '2026-01-01T00:00:01.000Z' }), 'SUCCEEDED', 'the older state is ignored');
      assert.equal(await shown({ status: 'PENDING', version: 6, updatedAt: '2025-12-31T23:59:59.000Z' }), 'PENDING', 'the newer state shows');
    } finally {
      await other.close();
    }
  });

  it('says so when the key is refused', async () => {
    const other = await browser.context.newPage();
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
