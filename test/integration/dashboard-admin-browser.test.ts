import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DeliveryEntity } from '../../src/domain/delivery/delivery.entity';
import { startTestApp, type TestApp } from '../support/app';
import { BROWSER_SKIP, launchBrowser, type Browser } from '../support/browser';
import { deliveryRow, waitDeliveryStatus } from '../support/dashboard-page';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { publish, type PublishInput } from '../support/publish';
import { Receiver } from '../support/receiver';

const HOUR_MS = 60 * 60 * 1000;
/** The narrow window as it looked; look at it after a run. */
const SCREENSHOT = path.join(process.env.TEST_ARTIFACTS_DIR ?? os.tmpdir(), 'hookgraph-dashboard-narrow.png');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The page's document, for functions that run in the page: the tests compile without the
 * DOM's types. (Functions, not strings: the page's CSP forbids evaluating strings.)
 */
declare const document: any;

/**
 * The dashboard as an operator of many tenants uses it: the deliveries query's filters on
 * the list and the live stream, the tenant picker, what each role may press, re-enabling
 * a held destination, a change of key, and a narrow window. The breaker opens at the first
 * failure and holds for an hour, so only Re-enable can close it within the test.
 */
describe('dashboard for tenants, roles and held destinations in Chromium', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let good: Receiver;
  let flaky: Receiver;
  const requested: string[] = [];

  // What the tests share: two tenants, their destinations and deliveries made before the page opens.
  const acme = { id: '', orders: '', parked: '', viewerKey: '' };
  const globex = { id: '', orders: '', viewerKey: '' };
  const ids = { a1: '', a1Event: '', a2: '', g1: '', r1: '', old: '' };

  const gqlOk = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await t.gql(query, variables);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data;
  };
  const tenant = async (uid: string): Promise<string> =>
    (await gqlOk(`mutation($u: String!) { tenantCreate(input: { uid: $u }) { tenant { id } } }`, { u: uid })).tenantCreate.tenant.id;
  const tenantKey = async (uid: string, role: string): Promise<string> =>
    (await gqlOk(`mutation($t: String!, $r: Role!) { apiKeyCreate(input: { name: "k", role: $r, tenant: $t }) { key } }`, { t: uid, r: role })).apiKeyCreate
      .key;

  before(async () => {
    good = await Receiver.start();
    flaky = await Receiver.start();
    t = await startTestApp('sqlite', { HOOKGRAPH_BREAKER_THRESHOLD: '1', HOOKGRAPH_BREAKER_OPEN_MS: String(HOUR_MS) });
    browser = await launchBrowser(new URL(t.url).host);
    page = browser.page;
    browser.context.on('request', (request) => requested.push(request.url()));
    page.on('websocket', (socket) => requested.push(socket.url()));

    acme.id = await tenant('acme');
    globex.id = await tenant('globex');
    acme.orders = (await createDestination(t, { tenant: 'acme', name: 'acme-orders', url: `${good.url}/acme` })).id;
    acme.parked = (await createDestination(t, { tenant: 'acme', name: 'acme-parked', url: `${good.url}/parked` })).id;
    globex.orders = (await createDestination(t, { tenant: 'globex', name: 'globex-orders', url: `${good.url}/globex` })).id;
    await gqlOk(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { userErrors { code } } }`, { id: acme.parked });
    await createWebhook(t, acme.orders, { eventTypes: ['order.*'] });
    await createWebhook(t, acme.parked, { eventTypes: ['report.*'] });
    await createWebhook(t, globex.orders, { eventTypes: ['order.*'] });
    acme.viewerKey = await tenantKey('acme', 'VIEWER');
    globex.viewerKey = await tenantKey('globex', 'VIEWER');

    const a1 = await publish(t, { tenant: 'acme', type: 'order.created' });
    ids.a1 = a1.deliveryId;
    ids.a1Event = a1.eventId;
    ids.a2 = (await publish(t, { tenant: 'acme', type: 'order.paid' })).deliveryId;
    ids.g1 = (await publish(t, { tenant: 'globex', type: 'order.created' })).deliveryId;
    ids.r1 = (await publish(t, { tenant: 'acme', type: 'report.ready' })).deliveryId;
    ids.old = (await publish(t, { tenant: 'acme', type: 'report.ready' })).deliveryId;
    // Made a day ago: what a time range leaves out.
    await t.app.services.db.manager.update(DeliveryEntity, { id: ids.old }, { createdAt: new Date(Date.now() - 24 * HOUR_MS) });
    await eventually(async () => good.requests.length >= 3);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await Promise.all([good?.stop(), flaky?.stop()]);
  });

  const row = (id: string) => deliveryRow(page, id);
  const destinationItem = (id: string) => page.locator(`#destinations li[data-destination-id="${id}"]`);
  const waitStatus = (id: string, status: string) => waitDeliveryStatus(page, id, status);
  const shownRows = () => page.locator('#deliveries tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-delivery-id')!).sort());
  const shownDestinations = () => page.locator('#destinations li').evaluateAll((items) => items.map((li) => li.getAttribute('data-destination-id')!).sort());

  /** Waits until the table holds exactly these deliveries. */
  async function showsExactly(expected: string[]): Promise<void> {
    const want = [...expected].sort();
    try {
      await page.waitForFunction(
        (w) => JSON.stringify([...document.querySelectorAll('#deliveries tbody tr')].map((r: any) => r.dataset.deliveryId).sort()) === w,
        JSON.stringify(want),
        { timeout: 10_000 },
      );
    } catch {
      assert.deepEqual(await shownRows(), want);
    }
  }

  async function useKey(key: string, viewer: string): Promise<void> {
    await page.fill('#api-key', key);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#connection[data-state="live"]');
    await viewerIs(viewer);
  }

  /** Waits until the page says what the key is (`ADMIN · all tenants`). */
  const viewerIs = (text: string) => page.waitForFunction((want) => document.querySelector('#viewer').textContent === want, text);

  /** Types into a filter field and presses Enter (which applies the filters). */
  async function type(selector: string, value: string): Promise<void> {
    await page.fill(selector, value);
    await page.press(selector, 'Enter');
  }

  const acmeOrder = { tenant: 'acme', type: 'order.created' };
  const acmeReport = { tenant: 'acme', type: 'report.ready' };

  /**
   * Publishes a delivery the filters leave out, then one they select: the second shows up
   * live with `status`, and the first, announced before it, never did.
   */
  async function liveNarrowed(leftOutInput: PublishInput, selectedInput: PublishInput, status: string) {
    const leftOut = (await publish(t, leftOutInput)).deliveryId;
    const selected = (await publish(t, selectedInput)).deliveryId;
    await waitStatus(selected, status);
    assert.equal(await row(leftOut).count(), 0, `${leftOutInput.type} of ${String(leftOutInput.tenant)} was left out`);
    return { leftOut, selected };
  }

  /** `datetime-local` input text for a moment `offsetMs` from now, in the page's time zone. */
  const localTime = (offsetMs: number) =>
    page.evaluate((offset) => {
      const d = new Date(Date.now() + offset);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, offsetMs);

  it('narrows the list and the live stream by tenant, status, event type, destination, event id and creation time', async () => {
    await page.goto(`${t.url}/dashboard`);
    await useKey(t.adminKey, 'ADMIN · all tenants');
    await showsExactly([ids.a1, ids.a2, ids.g1, ids.r1, ids.old]);
    assert.match((await row(ids.a1).locator('.updated').textContent())!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'the date with the time');

    // The tenant picker: acme's deliveries and destinations only, in the list and live.
    await type('#filter-tenant', 'acme');
    await showsExactly([ids.a1, ids.a2, ids.r1, ids.old]);
    assert.deepEqual(await shownDestinations(), [acme.orders, acme.parked].sort());
    const { leftOut: g2, selected: a3 } = await liveNarrowed({ tenant: 'globex', type: 'order.paid' }, { tenant: 'acme', type: 'order.refunded' }, 'SUCCEEDED');

    // Status: a delivery that stays PENDING (paused destination) is left out, a SUCCEEDED one shows.
    await page.selectOption('#filter-status', 'SUCCEEDED');
    await showsExactly([ids.a1, ids.a2, a3]);
    const { leftOut: r2 } = await liveNarrowed(acmeReport, acmeOrder, 'SUCCEEDED');
    await page.selectOption('#filter-status', '');

    // Event type.
    await type('#filter-event-type', 'order.paid');
    await showsExactly([ids.a2]);
    await liveNarrowed(acmeOrder, { tenant: 'acme', type: 'order.paid' }, 'SUCCEEDED');
    await type('#filter-event-type', '');

    // Destination.
    await page.selectOption('#filter-destination', acme.parked);
    await showsExactly([ids.r1, ids.old, r2]);
    await liveNarrowed(acmeOrder, acmeReport, 'PENDING');
    await page.selectOption('#filter-destination', '');

    // Event id.
    await type('#filter-event-id', ids.a1Event);
    await showsExactly([ids.a1]);
    await type('#filter-event-id', '');

    // Creation time: before an hour ago there is only the day-old delivery; its change shows live, a new one does not.
    await page.fill('#filter-to', await localTime(-HOUR_MS));
    await showsExactly([ids.old]);
    const r4 = (await publish(t, { tenant: 'acme', type: 'report.ready' })).deliveryId;
    await gqlOk(`mutation($id: ID!) { deliveryCancel(id: $id) { userErrors { code } } }`, { id: ids.old });
    await waitStatus(ids.old, 'CANCELLED');
    assert.equal(await row(r4).count(), 0);
    await page.fill('#filter-from', await localTime(-2 * HOUR_MS));
    await showsExactly([]);

    // A range that ends before it starts is refused, and the view stays as it was.
    await page.fill('#filter-from', await localTime(0));
    await page.waitForSelector('#message:not([hidden])');
    assert.match((await page.textContent('#message'))!, /ends before it starts/);

    // Clear: every tenant again.
    await page.click('#filters button[type=reset]');
    await page.waitForSelector(`#deliveries tbody tr[data-delivery-id="${ids.g1}"]`);
    assert.ok((await shownRows()).includes(g2));
    assert.deepEqual(browser.pageErrors, []);
  });

  it('shows a VIEWER key no buttons and an ADMIN key every one; a new key clears what the old one showed', async () => {
    await page.goto(`${t.url}/dashboard`);
    await useKey(acme.viewerKey, 'VIEWER · acme');
    await page.waitForSelector(`#deliveries tbody tr[data-delivery-id="${ids.old}"]`);
    await destinationItem(acme.parked).waitFor();
    assert.equal(await page.isDisabled('#filter-tenant'), true, "a tenant key's picker stays on its tenant");
    assert.equal(await page.inputValue('#filter-tenant'), 'acme');
    const tenants = await page.locator('#deliveries tbody tr').evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute('data-tenant-id')))]);
    assert.deepEqual(tenants, [acme.id]);
    assert.equal(await page.locator('button[data-action]').count(), 0, 'no retry, cancel or re-enable for a VIEWER');

    await useKey(t.adminKey, 'ADMIN · all tenants');
    await row(ids.old).locator('button[data-action=retry]').waitFor();
    await row(ids.r1).locator('button[data-action=cancel]').waitFor();
    await destinationItem(acme.parked).locator('button[data-action=reenable]').waitFor();
    assert.equal(await destinationItem(acme.orders).locator('button').count(), 0, 'an ACTIVE destination has nothing to re-enable');
    await row(ids.a1).click();
    await page.waitForSelector(`#detail-id:text("${ids.a1}")`);

    // Another key: nothing of the previous one stays, not even for a moment.
    await page.fill('#api-key', globex.viewerKey);
    await page.click('#key-form button[type=submit]');
    assert.equal(await page.locator(`#deliveries tbody tr[data-tenant-id="${acme.id}"]`).count(), 0);
    for (const id of [acme.orders, acme.parked]) assert.equal(await destinationItem(id).count(), 0);
    assert.equal(await page.isHidden('#detail'), true);
    await viewerIs('VIEWER · globex');
    await page.waitForSelector(`#deliveries tbody tr[data-delivery-id="${ids.g1}"]`);
    const shownTenants = await page.locator('#deliveries tbody tr').evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute('data-tenant-id')))]);
    assert.deepEqual(shownTenants, [globex.id]);
    await destinationItem(globex.orders).waitFor();
    assert.deepEqual(await shownDestinations(), [globex.orders]);
    assert.deepEqual(browser.pageErrors, []);
  });

  it('re-enables a paused destination and one its breaker holds', async () => {
    flaky.behave({ kind: 'status', status: 500 });
    const shaky = (await createDestination(t, { tenant: 'acme', name: 'acme-billing', url: `${flaky.url}/billing`, retryPolicy: { maxAttempts: 1 } })).id;
    await createWebhook(t, shaky, { eventTypes: ['invoice.*'] });
    await page.goto(`${t.url}/dashboard`);
    await useKey(t.adminKey, 'ADMIN · all tenants');

    // Paused: Re-enable sends what waited.
    await destinationItem(acme.parked).locator('button[data-action=reenable]').click();
    await page.waitForSelector(`#destinations li[data-destination-id="${acme.parked}"][data-status="ACTIVE"]`);
    await waitStatus(ids.r1, 'SUCCEEDED');
    assert.equal(await destinationItem(acme.parked).locator('button').count(), 0);

    // The breaker: one failure opens it for an hour; the page shows it and offers Re-enable.
    const failed = (await publish(t, { tenant: 'acme', type: 'invoice.due' })).deliveryId;
    await waitStatus(failed, 'FAILED');
    await destinationItem(shaky).locator('.breaker[data-breaker="open"]').waitFor();
    assert.match((await destinationItem(shaky).locator('.breaker').textContent())!, /^breaker open until \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(await destinationItem(shaky).getAttribute('data-status'), 'ACTIVE', 'the breaker holds; the status stays');
    const held = (await publish(t, { tenant: 'acme', type: 'invoice.due' })).deliveryId;
    await waitStatus(held, 'PENDING');
    flaky.behave({ kind: 'status', status: 200 });
    await destinationItem(shaky).locator('button[data-action=reenable]').click();
    await waitStatus(held, 'SUCCEEDED');
    await eventually(async () => (await destinationItem(shaky).locator('.breaker').count()) === 0);
    assert.equal(await destinationItem(shaky).locator('button').count(), 0);
    assert.deepEqual(browser.pageErrors, []);
  });

  it('never overflows sideways at 800 px, whatever the length of ids, types, names and uids', async () => {
    const uid = `tenant-${'u'.repeat(100)}`;
    await tenant(uid);
    const longName = `billing-${'n'.repeat(180)}`;
    const dest = (await createDestination(t, { tenant: uid, name: longName, url: `${good.url}/${'p'.repeat(300)}` })).id;
    await createWebhook(t, dest, { eventTypes: ['overflow.*'] });
    const longType = `overflow.${'t'.repeat(180)}`;
    const id = (await publish(t, { tenant: uid, type: longType })).deliveryId;
    await page.setViewportSize({ width: 800, height: 900 });
    try {
      await page.goto(`${t.url}/dashboard`);
      await useKey(await tenantKey(uid, 'ADMIN'), `ADMIN · ${uid}`);
      await waitStatus(id, 'SUCCEEDED');
      await row(id).click();
      await page.waitForSelector(`#detail-id:text("${id}")`);
      await page.waitForSelector('#attempts .attempt');
      assert.equal(await row(id).locator('.event-type').textContent(), longType, 'the cell holds the whole type (cut only on screen)');
      const overflowing = await page.evaluate<string[]>(`
        ['html', 'header', '#filters', 'section.deliveries', '#deliveries', '#destinations', '#detail']
          .map((selector) => document.querySelector(selector))
          .filter((node) => node.scrollWidth > node.clientWidth)
          .map((node) => node.tagName + '#' + node.id + ': ' + node.scrollWidth + ' > ' + node.clientWidth)`);
      assert.deepEqual(overflowing, []);
      const widths = await page.evaluate<{ table: number; section: number }>(
        `({ table: document.querySelector('#deliveries').getBoundingClientRect().width, section: document.querySelector('section.deliveries').clientWidth })`,
      );
      assert.ok(widths.table <= widths.section, `the table (${widths.table} px) fits its section (${widths.section} px)`);
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
    assert.deepEqual(browser.pageErrors, []);
  });

  it('asked nothing of any host but this loopback one', () => {
    assert.ok(requested.length > 0);
    const elsewhere = requested.filter((url) => !LOOPBACK.has(new URL(url).hostname));
    assert.deepEqual(elsewhere, []);
  });
});
