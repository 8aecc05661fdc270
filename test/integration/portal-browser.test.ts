import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { BROWSER_SKIP, launchBrowser, type Browser } from '../support/browser';
import { ManualClock } from '../support/clock';
import { eventually } from '../support/deferred';
import { createTenant, portalAccess } from '../support/portal';
import { publish } from '../support/publish';
import { Receiver } from '../support/receiver';

/** Where the screenshot goes; look at it after a run. */
const SCREENSHOT = path.join(process.env.TEST_ARTIFACTS_DIR ?? os.tmpdir(), 'hookgraph-portal.png');

describe('portal in Chromium', { skip: BROWSER_SKIP }, () => {
  const clock = new ManualClock();
  let t: TestApp;
  let browser: Browser;
  let receiver: Receiver;
  /** Every host the pages asked for something. */
  const hosts = new Set<string>();
  let bDeliveryId: string;
  let aDeliveryId: string;

  before(async () => {
    receiver = await Receiver.start();
    // 'self' lets a page of this origin frame the portal (the embed check below).
    t = await startTestApp('sqlite', { HOOKGRAPH_PORTAL_FRAME_ANCESTORS: "'self'" }, { clock });
    for (const uid of ['shop-a', 'shop-b']) {
      await createTenant(t, uid);
      const dest = await t.gql(`mutation($u: String!, $t: String!) { destinationCreate(input: { name: $t, url: $u, tenant: $t }) { destination { id } } }`, {
        u: `${receiver.url}/${uid}`,
        t: uid,
      });
      await t.gql(
        `mutation($d: ID!, $t: String!) { webhookCreate(input: { name: "orders", destinationId: $d, eventTypes: ["order.*"], tenant: $t }) { webhook { id } } }`,
        {
          d: dest.data.destinationCreate.destination.id,
          t: uid,
        },
      );
    }
    aDeliveryId = (await publish(t, { type: 'order.created', tenant: 'shop-a', data: { n: 1 } })).deliveryId;
    bDeliveryId = (await publish(t, { type: 'order.created', tenant: 'shop-b', data: { n: 2 } })).deliveryId;
    browser = await launchBrowser(new URL(t.url).host);
    browser.context.on('request', (request) => hosts.add(new URL(request.url()).host));
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await receiver?.stop();
  });

  const card = (page: Page, name: string) => page.locator('#destinations li', { has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });
  const row = (page: Page, id: string) => page.locator(`#deliveries tbody tr[data-delivery-id="${id}"]`);

  it('shows only its tenant; an ADMIN token creates an endpoint, tests it, and watches its deliveries live', async () => {
    const { url } = await portalAccess(t, 'shop-a', 'ADMIN');
    const page = browser.page;
    await page.goto(url);
    await page.waitForSelector('body[data-state="ready"]');
    await page.waitForSelector('#connection[data-state="live"]');
    assert.equal(await page.evaluate('location.hash'), '', 'the token left the address bar');
    assert.equal(await page.locator('#tenant-name').textContent(), 'shop-a');
    assert.deepEqual(await page.locator('#destinations .name').allTextContents(), ['shop-a']);
    await row(page, aDeliveryId).waitFor();
    assert.equal(await row(page, bDeliveryId).count(), 0, "another tenant's delivery is not there");

    // A new endpoint for a type the tenant has received and one typed in; its secret is shown once.
    await page.click('#new-endpoint');
    await page.fill('#endpoint-form input[name=name]', 'billing');
    await page.fill('#endpoint-form input[name=url]', `${receiver.url}/billing`);
    await page.check('#type-choices input[value="order.created"]');
    await page.fill('#endpoint-form input[name=otherTypes]', 'invoice.*');
    await page.click('#endpoint-form button[type=submit]');
    await card(page, 'billing').waitFor();
    assert.match((await page.locator('#secret-value').textContent())!, /^whsec_/);
    assert.match((await card(page, 'billing').locator('.types').textContent())!, /order\.created, invoice\.\*/);
    await page.click('#secret-close');
    assert.equal(await page.locator('#secret-value').textContent(), '');

    // A test send reaches the receiver, and the card says how it went.
    const before = receiver.requests.length;
    await card(page, 'billing').locator('button[data-action=test]').click();
    await card(page, 'billing').locator('.test-result[data-outcome="SUCCESS"]').waitFor();
    assert.ok(receiver.requests.slice(before).some((r) => r.url === '/billing'));

    // A delivery published for the tenant appears live; one for the other tenant never does.
    const other = await publish(t, { type: 'invoice.paid', tenant: 'shop-b' });
    const paid = await publish(t, { type: 'invoice.paid', tenant: 'shop-a', data: { total: 12 } });
    await page.waitForSelector(`#deliveries tbody tr[data-delivery-id="${paid.deliveryId}"][data-status="SUCCEEDED"]`);
    assert.equal(await row(page, other.event.id).count(), 0);
    assert.equal(await page.locator(`#deliveries tbody tr[data-delivery-id="${other.deliveries[0]?.id ?? 'none'}"]`).count(), 0);
    assert.equal(await row(page, paid.deliveryId).locator('.destination').textContent(), 'billing');
    // Its attempt, with the request and the response.
    await row(page, paid.deliveryId).click();
    await page.waitForSelector('#attempts .attempt');
    assert.match((await page.locator('#attempts .attempt .request').first().textContent())!, /webhook-id: evt_/);
    assert.match((await page.locator('#attempts .attempt .request').first().textContent())!, /"total":12/);

    // Filters narrow the list and the live stream.
    await page.selectOption('#filters select[name=eventType]', 'order.created');
    await page.click('#filters button[type=submit]');
    await page.waitForSelector(`#deliveries tbody tr[data-delivery-id="${paid.deliveryId}"]`, { state: 'detached' });
    await row(page, aDeliveryId).waitFor();
    const hidden = await publish(t, { type: 'invoice.paid', tenant: 'shop-a' });
    // order.created goes to both endpoints now.
    const shown = await publish(t, { type: 'order.created', tenant: 'shop-a' });
    for (const d of shown.deliveries) await row(page, d.id).waitFor();
    await eventually(
      async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status } } }`, { id: hidden.deliveryId })).data.node.status === 'SUCCEEDED',
    );
    assert.equal(await row(page, hidden.deliveryId).count(), 0, 'the filtered stream leaves out other types');
    await page.fill('#filters input[name=eventId]', paid.eventId);
    await page.selectOption('#filters select[name=eventType]', '');
    await page.click('#filters button[type=submit]');
    await row(page, paid.deliveryId).waitFor();
    assert.deepEqual(await page.locator('#deliveries tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-delivery-id'))), [paid.deliveryId]);
    await page.click('#filters button[type=reset]');
    await row(page, aDeliveryId).waitFor();

    // Pause and re-enable, rotate the secret (shown once), change the event types, delete.
    await card(page, 'billing').locator('button[data-action=pause]').click();
    await card(page, 'billing').locator('.status[data-status="PAUSED"]').waitFor();
    await card(page, 'billing').locator('button[data-action=enable]').click();
    await card(page, 'billing').locator('.status[data-status="ACTIVE"]').waitFor();
    await card(page, 'billing').locator('button[data-action=rotate]').click();
    await card(page, 'billing').locator('button[data-action=rotate]').click();
    await page.waitForSelector('#secret:not([hidden])');
    assert.match((await page.locator('#secret-value').textContent())!, /^whsec_/);
    await card(page, 'billing').locator('button[data-action=edit]').click();
    await page.uncheck('#type-choices input[value="order.created"]');
    await page.click('#endpoint-form button[type=submit]');
    await eventually(async () => (await card(page, 'billing').locator('.types').textContent()) === 'Event types: invoice.*');
    await card(page, 'billing').locator('button[data-action=delete]').click();
    await card(page, 'billing').locator('button[data-action=delete]').click();
    await card(page, 'billing').waitFor({ state: 'detached' });
    assert.equal(await page.locator('#secret').isVisible(), false, "a deleted endpoint's secret is no longer shown");
    const left = await t.gql(`{ destinations(first: 10) { nodes { name } } }`, {}, (await portalAccess(t, 'shop-a', 'VIEWER')).token);
    assert.deepEqual(left.data.destinations.nodes, [{ name: 'shop-a' }]);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(browser.pageErrors, []);
  });

  it('draws success rate and latency from Destination.stats', async () => {
    await eventually(
      async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status } } }`, { id: aDeliveryId })).data.node.status === 'SUCCEEDED',
    );
    const page = await browser.context.newPage();
    try {
      await page.goto((await portalAccess(t, 'shop-a', 'VIEWER')).url);
      await page.waitForSelector('body[data-state="ready"]');
      // shop-a's deliveries so far were answered 200: real statistics, drawn.
      await card(page, 'shop-a').locator('svg[data-chart="success-rate"] rect[data-bucket].ok').first().waitFor();
      assert.match(
        (await card(page, 'shop-a').locator('.stats[data-range="hour"] .stats-totals').textContent())!,
        /^100 % success · [1-9]\d* attempts · p50 \d+ ms · p95 \d+ ms$/,
      );
      assert.equal(await card(page, 'shop-a').locator('.stats-slot', { hasText: 'statistics unavailable' }).count(), 0);
      await card(page, 'shop-a').locator('button[data-range="day"]').click();
      // A line is flat where latency holds still: it shows by its stroke, and has no height to be "visible".
      await card(page, 'shop-a').locator('.stats[data-range="day"] svg[data-chart="latency"] polyline').first().waitFor({ state: 'attached' });
      const hourBars = await card(page, 'shop-a').locator('.stats[data-range="day"] svg[data-chart="success-rate"] rect').count();
      assert.ok(hourBars === 24 || hourBars === 25, `a bar per hour of the day, not ${hourBars}`);
      // The charts of a series as Destination.stats answers it: bars by success rate, latency lines with gaps.
      const drawn = await page.evaluate(async () => {
        const { statsView } = await import('/portal/charts.js' as string);
        const series = [
          { start: '2026-01-01T10:00:00.000Z', attempts: 4, successes: 4, failures: 0, p50Ms: 20, p95Ms: 40 },
          { start: '2026-01-01T10:01:00.000Z', attempts: 0, successes: 0, failures: 0, p50Ms: null, p95Ms: null },
          { start: '2026-01-01T10:02:00.000Z', attempts: 4, successes: 1, failures: 3, p50Ms: 100, p95Ms: 400 },
          { start: '2026-01-01T10:03:00.000Z', attempts: 2, successes: 2, failures: 0, p50Ms: 30, p95Ms: 30 },
        ];
        const view = statsView({ attempts: 10, successes: 7, failures: 3, successRate: 0.7, p50Ms: 30, p95Ms: 400, series }, 'hour');
        const bars = [...view.querySelectorAll('svg[data-chart="success-rate"] rect[data-bucket]')].map((r: any) => [
          r.getAttribute('class'),
          Number(r.getAttribute('height')),
        ]);
        const lines = [...view.querySelectorAll('svg[data-chart="latency"] polyline')].map((l: any) => [
          l.getAttribute('class'),
          l.getAttribute('points')!.split(' ').length,
        ]);
        const text = view.querySelector('.stats-totals')!.textContent;
        return { bars, lines, text };
      });
      assert.deepEqual(drawn.bars, [
        ['ok', 48],
        ['bad', 12],
        ['ok', 48],
      ]);
      // A gap after the first bucket: p95 and p50 each in two pieces (one point, then two).
      assert.deepEqual(drawn.lines, [
        ['p95', 2],
        ['p95', 2],
        ['p50', 2],
        ['p50', 2],
      ]);
      assert.equal(drawn.text, '70.0 % success · 10 attempts · p50 30 ms · p95 400 ms');
    } finally {
      await page.close();
    }
  });

  it('shows a VIEWER token the same, without a single button that changes anything', async () => {
    const { url } = await portalAccess(t, 'shop-a', 'VIEWER');
    const page = await browser.context.newPage();
    try {
      await page.goto(url);
      await page.waitForSelector('body[data-state="ready"]');
      await card(page, 'shop-a').waitFor();
      await row(page, aDeliveryId).waitFor();
      assert.equal(await page.locator('#role').textContent(), 'read only');
      assert.equal(await page.locator('button[data-action]').count(), 0);
      assert.equal(await page.locator('#new-endpoint').isVisible(), false);
      // Its attempts are readable all the same.
      await row(page, aDeliveryId).click();
      await page.waitForSelector('#attempts .attempt .response');
    } finally {
      await page.close();
    }
  });

  it('says so when the token has expired: at opening, and while open', async () => {
    const page = await browser.context.newPage();
    try {
      const stale = await portalAccess(t, 'shop-a', 'VIEWER', 60);
      const open = await portalAccess(t, 'shop-a', 'VIEWER', 120);
      clock.advance(61_000);
      await page.goto(stale.url);
      await page.waitForSelector('body[data-state="refused"]');
      assert.match((await page.locator('#refused-reason').textContent())!, /expired/);
      assert.equal(await page.locator('#destinations').count(), 0, 'nothing of the tenant is shown');

      await page.goto(open.url);
      await page.waitForSelector('#connection[data-state="live"]');
      await card(page, 'shop-a').waitFor();
      clock.advance(60_000);
      await page.waitForSelector('body[data-state="refused"]');
      assert.match((await page.locator('#refused-reason').textContent())!, /expired/);
      assert.equal(await page.locator('#destinations').count(), 0);
    } finally {
      await page.close();
    }
  });

  it('can be embedded in a frame by the origins HOOKGRAPH_PORTAL_FRAME_ANCESTORS names', async () => {
    const { url } = await portalAccess(t, 'shop-a', 'VIEWER');
    const page = await browser.context.newPage();
    try {
      // A page of this origin (allowed: 'self') that embeds the portal as the README shows.
      await page.route(`${t.url}/embedding-app`, (route) =>
        route.fulfill({ contentType: 'text/html', body: `<!doctype html><iframe id="portal" src="${url}" width="1000" height="700"></iframe>` }),
      );
      await page.goto(`${t.url}/embedding-app`);
      const frame = page.frameLocator('#portal');
      await frame.locator('body[data-state="ready"]').waitFor();
      assert.equal(await frame.locator('#tenant-name').textContent(), 'shop-a');
    } finally {
      await page.close();
    }
  });

  it('asked no host but hookgraph’s own for anything', () => {
    assert.deepEqual([...hosts], [new URL(t.url).host]);
  });
});
