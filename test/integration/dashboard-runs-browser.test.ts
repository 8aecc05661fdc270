import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { BROWSER_SKIP, launchBrowser, type Browser } from '../support/browser';
import { createDestination, createWebhook } from '../support/fixtures';
import { Receiver } from '../support/receiver';

/** The dashboard lists sync runs with their rows and what their deliveries came to; a tenant's key sees its own. */
describe('dashboard: sync runs in Chromium', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let receiver: Receiver;

  const gqlOk = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await t.gql(query, variables);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data;
  };

  before(async () => {
    receiver = await Receiver.start();
    t = await startTestApp('sqlite', { HOOKGRAPH_SYNC_RUN_LOOK_MS: '20' });
    browser = await launchBrowser(new URL(t.url).host);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await receiver?.stop();
  });

  it('shows a run from RUNNING to FINISHED with its counts; another tenant’s key does not see it', async () => {
    const destination = await createDestination(t, { name: 'warehouse', url: `${receiver.url}/rows` });
    await createWebhook(t, destination.id, { eventTypes: ['customers'] });
    const run = (await gqlOk(`mutation { syncRunStart(input: { stream: "customers", mode: UPSERT }) { run { id } } }`)).syncRunStart.run;
    const page = browser.page;
    await page.goto(`${t.url}/dashboard`);
    await page.fill('#api-key', t.adminKey);
    await page.click('#key-form button[type=submit]');
    const item = page.locator(`#runs li[data-run-id="${run.id}"]`);
    await item.waitFor();
    assert.equal(await item.getAttribute('data-status'), 'RUNNING');
    await gqlOk(`mutation($r: ID) { eventPublishBatch(input: { runId: $r, rows: [{ id: "c1" }, { id: "c2" }] }) { events { id } } }`, { r: run.id });
    await gqlOk(`mutation($r: ID!) { syncRunComplete(id: $r) { run { id } } }`, { r: run.id });
    await page.locator(`#runs li[data-run-id="${run.id}"][data-status="FINISHED"]`).waitFor({ timeout: 15_000 });
    assert.match(await item.locator('.run-counts').innerText(), /2 rows · 2 delivered · 0 failed/);
    assert.equal(await item.locator('.run-outcome').getAttribute('data-outcome'), 'SUCCEEDED');

    await gqlOk(`mutation { tenantCreate(input: { uid: "other" }) { tenant { id } } }`);
    const otherKey = (await gqlOk(`mutation { apiKeyCreate(input: { name: "o", role: VIEWER, tenant: "other" }) { key } }`)).apiKeyCreate.key;
    await page.fill('#api-key', otherKey);
    await page.click('#key-form button[type=submit]');
    await page.locator('#runs-empty').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#runs li').count(), 0, 'the previous key’s runs are gone, the tenant has none');
    assert.deepEqual(browser.pageErrors, []);
  });
});
