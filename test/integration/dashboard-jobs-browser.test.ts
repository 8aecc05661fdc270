import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { BROWSER_SKIP, launchBrowser, type Browser } from '../support/browser';
import { publish } from '../support/publish';
import { Receiver } from '../support/receiver';
import { route } from './dispatch-support';
import { REPLAY, startJob } from './job-support';

const EVENTS = 6;

/** The dashboard lists bulk jobs and follows a running one live to its end; an ADMIN key cancels one. */
describe('dashboard: bulk jobs in Chromium', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let receiver: Receiver;

  before(async () => {
    receiver = await Receiver.start();
    // One event a batch, a second apart: a job runs for about EVENTS seconds.
    t = await startTestApp('sqlite', { HOOKGRAPH_JOB_BATCH_SIZE: '1', HOOKGRAPH_JOB_BATCH_DELAY_MS: '1000' });
    browser = await launchBrowser(new URL(t.url).host);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await receiver?.stop();
  });

  it('shows a replay job RUNNING, then SUCCEEDED with all done; Cancel stops another', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const r = await route(t, receiver.url);
    for (let i = 0; i < EVENTS; i++) await publish(t, { type: r.type, data: { i } });
    const page = browser.page;
    await page.goto(`${t.url}/dashboard`);
    await page.fill('#api-key', t.adminKey);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#connection[data-state="live"]');
    assert.equal(await page.locator('#jobs-empty').isVisible(), true);

    const job = await startJob(t, REPLAY, { id: r.webhookId, since });
    const item = page.locator(`#jobs li[data-job-id="${job.id}"]`);
    await page.waitForSelector(`#jobs li[data-job-id="${job.id}"][data-status="RUNNING"]`, { timeout: 10_000 });
    await page.waitForSelector(`#jobs li[data-job-id="${job.id}"][data-status="SUCCEEDED"]`, { timeout: 20_000 });
    assert.match((await item.textContent())!, new RegExp(`replay SUCCEEDED\\s*${EVENTS} / ${EVENTS}`));
    assert.equal(await item.locator('progress').getAttribute('value'), String(EVENTS));
    assert.equal(await item.locator('button').count(), 0, 'nothing to cancel once it ended');
    assert.equal(await page.locator('#jobs-empty').isVisible(), false);

    const second = await startJob(t, REPLAY, { id: r.webhookId, since });
    const cancel = page.locator(`#jobs li[data-job-id="${second.id}"] button[data-action="cancel-job"]`);
    await cancel.waitFor({ timeout: 10_000 });
    await cancel.click();
    await page.waitForSelector(`#jobs li[data-job-id="${second.id}"][data-status="CANCELLED"]`, { timeout: 10_000 });
    const stored = await t.gql(`query($id: ID!) { bulkJob(id: $id) { status done } }`, { id: second.id });
    assert.equal(stored.data.bulkJob.status, 'CANCELLED');
    assert.ok(stored.data.bulkJob.done < EVENTS, JSON.stringify(stored.data));
    assert.deepEqual(browser.pageErrors, []);
  });
});
