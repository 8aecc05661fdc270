import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { BROWSER_SKIP, launchBrowser, type Browser } from '../support/browser';
import { eventually } from '../support/deferred';
import { createTenant, portalAccess } from '../support/portal';
import { publish } from '../support/publish';
import { Receiver } from '../support/receiver';

const FAILED = 4;

/** A tenant's ADMIN token recovers what failed to reach its endpoint, or replays everything it wants, and watches each job to its end. */
describe('portal: recovering failed deliveries in Chromium', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let receiver: Receiver;
  const ids: string[] = [];

  before(async () => {
    receiver = await Receiver.start();
    receiver.behave({ kind: 'status', status: 500 });
    // One delivery a batch, a third of a second apart: the job is seen running.
    t = await startTestApp('sqlite', { HOOKGRAPH_JOB_BATCH_SIZE: '1', HOOKGRAPH_JOB_BATCH_DELAY_MS: '300' });
    await createTenant(t, 'shop-r');
    const dest = await t.gql(
      `mutation($u: String!) { destinationCreate(input: { name: "orders", url: $u, tenant: "shop-r", retryPolicy: { maxAttempts: 1 } }) { destination { id } } }`,
      { u: `${receiver.url}/orders` },
    );
    await t.gql(
      `mutation($d: ID!) { webhookCreate(input: { name: "orders", destinationId: $d, eventTypes: ["order.*"], tenant: "shop-r" }) { webhook { id } } }`,
      {
        d: dest.data.destinationCreate.destination.id,
      },
    );
    for (let i = 0; i < FAILED; i++) ids.push((await publish(t, { type: 'order.created', tenant: 'shop-r', data: { i } })).deliveryId);
    await eventually(async () => (await statuses()).every((s) => s === 'FAILED'), 15_000);
    browser = await launchBrowser(new URL(t.url).host);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await receiver?.stop();
  });

  async function statuses(): Promise<string[]> {
    return Promise.all(
      ids.map(async (id) => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { status } } }`, { id })).data.node.status as string),
    );
  }

  it('recovers the failed deliveries of the chosen window, says when there is nothing left, and replays every event', async () => {
    receiver.behave({ kind: 'status', status: 200 });
    const { url } = await portalAccess(t, 'shop-r', 'ADMIN');
    const page = browser.page;
    await page.goto(url);
    await page.waitForSelector('body[data-state="ready"]');
    const card = page.locator('#destinations li', { has: page.locator('.name', { hasText: /^orders$/ }) });
    assert.equal(await card.locator('select[data-action=job-since]').inputValue(), '24', 'the last day by default');
    const recover = card.locator('button[data-action=recover]');
    await recover.click();
    await recover.click(); // confirms
    await card.locator(`.endpoint-job[data-kind="RECOVER"][data-status="SUCCEEDED"]`).waitFor({ timeout: 20_000 });
    assert.match((await card.locator('.endpoint-job').textContent())!, new RegExp(`Recovered: sent again\\s*${FAILED} / ${FAILED}`));
    await eventually(async () => (await statuses()).every((s) => s === 'SUCCEEDED'), 15_000);
    for (const id of ids) await page.waitForSelector(`#deliveries tbody tr[data-delivery-id="${id}"][data-status="SUCCEEDED"]`);

    await recover.click();
    await recover.click();
    await page.waitForSelector('#message:not([hidden])');
    assert.match((await page.locator('#message').textContent())!, /Nothing to recover/);

    // A replay of the last hour sends every event the endpoint wants again, as new deliveries.
    await card.locator('select[data-action=job-since]').selectOption('1');
    const replay = card.locator('button[data-action=replay]');
    await replay.click();
    await replay.click();
    await card.locator(`.endpoint-job[data-kind="REPLAY"][data-status="SUCCEEDED"]`).waitFor({ timeout: 20_000 });
    assert.match((await card.locator('.endpoint-job').textContent())!, new RegExp(`Replayed: sent again\\s*${FAILED} / ${FAILED}`));
    const replayed = await t.gql(`{ deliveries(first: 20, filter: { tenant: "shop-r" }) { nodes { trigger } } }`);
    assert.equal(replayed.data.deliveries.nodes.filter((d: { trigger: string }) => d.trigger === 'REPLAY').length, FAILED);
    assert.deepEqual(browser.pageErrors, []);
  });
});
