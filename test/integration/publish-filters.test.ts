import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { createDestination, createWebhook, pauseDestination } from '../support/fixtures';
import { publish } from '../support/publish';
import { postRaw } from '../support/inbound';
import { forEachDatabase } from '../support/suite';

const WEBHOOK_CREATE = `mutation($input: WebhookCreateInput!) { webhookCreate(input: $input) { webhook { id } userErrors { field message code } } }`;
const WEBHOOK_UPDATE = `mutation($id: ID!, $input: WebhookUpdateInput!) { webhookUpdate(id: $id, input: $input) { webhook { filter } userErrors { field message code } } }`;

/**
 * The longest this process's event loop was held by work of its own while `work` ran, in
 * ms: of every gap between two ticks of a 1 ms timer, the CPU time the process spent in
 * it. A gap the operating system made (another process had the core) costs no CPU here,
 * so a loaded machine does not count as a stall; a regex backtracking on this thread does.
 */
async function longestStall(work: () => Promise<void>): Promise<number> {
  let longest = 0;
  let cpu = process.cpuUsage();
  const ticker = setInterval(() => {
    const spent = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    longest = Math.max(longest, (spent.user + spent.system) / 1000);
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(ticker);
  }
  return longest;
}

async function deliveriesOf(t: TestApp, webhookId: string): Promise<number> {
  const res = await t.gql(`query($w: ID) { deliveries(filter: { webhookId: $w }) { totalCount } }`, { w: webhookId });
  return res.data.deliveries.totalCount;
}

forEachDatabase('webhook filters on data anyone may send', (ctx) => {
  it('a $regex that backtracks for seconds in RegExp holds the event loop far less (under 500 ms, on a loaded machine too), from a listener or a publisher', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    await pauseDestination(t, dest.id);
    const hook = await createWebhook(t, dest.id, { eventTypes: ['form.*'], filter: { comment: { $regex: '(a+)+$' } } });
    const listener = await t.gql(`mutation { listenerCreate(input: { name: "open-form", eventType: "form.sent" }) { listener { url } userErrors { code } } }`);
    const url = listener.data.listenerCreate.listener.url as string;
    const evil = `${'a'.repeat(27)}!`;

    const stall = await longestStall(async () => {
      const posted = await postRaw(url, JSON.stringify({ comment: evil }), { 'content-type': 'application/json' });
      assert.equal(posted.status, 204);
      const published = await publish(t, { type: 'form.sent', data: { comment: evil } });
      assert.deepEqual(published.userErrors, []);
      assert.equal(published.deliveries.length, 0, 'the filter rejects it');
    });
    // RegExp takes seconds on this input; the linear-time engine a few milliseconds. The bound leaves room for a busy machine.
    assert.ok(stall < 500, `the event loop stalled ${stall.toFixed(1)} ms`);

    const matching = await publish(t, { type: 'form.sent', data: { comment: 'a'.repeat(27) } });
    assert.deepEqual(
      matching.deliveries.map((d) => d.webhookId),
      [hook],
    );
    assert.equal(await deliveriesOf(t, hook), 1);
  });

  it('refuses $regex patterns the linear engine cannot run, or too complex ones, at webhookCreate and webhookUpdate', async () => {
    const t = ctx();
    const dest = await createDestination(t);
    const cases: [string, RegExp][] = [
      ['(a)\\1', /not supported/],
      ['^(?!test)', /not supported/],
      ['(?<=x)y', /not supported/],
      ['.{300}', /instructions; the limit is 128/],
      ['a'.repeat(201), /at most 200 characters/],
    ];
    for (const [pattern, message] of cases) {
      const res = await t.gql(WEBHOOK_CREATE, {
        input: { name: `f-${Math.random().toString(36).slice(2)}`, destinationId: dest.id, eventTypes: ['*'], filter: { s: { $regex: pattern } } },
      });
      const errors = res.data.webhookCreate.userErrors as { field: string[]; message: string; code: string }[];
      assert.equal(res.data.webhookCreate.webhook, null, pattern);
      assert.deepEqual(
        errors.map((e) => [e.field, e.code]),
        [[['filter'], 'INVALID_FILTER']],
        pattern,
      );
      assert.match(errors[0]!.message, message);
    }
    const hook = await createWebhook(t, dest.id, { eventTypes: ['*'], filter: { s: { $regex: '^ok' } } });
    const refused = await t.gql(WEBHOOK_UPDATE, { id: hook, input: { filter: { $or: [{ s: { $regex: 'a{100}' } }, { t: { $regex: 'b{100}' } }] } } });
    assert.deepEqual(
      refused.data.webhookUpdate.userErrors.map((e: { code: string }) => e.code),
      ['INVALID_FILTER'],
    );
    const kept = await t.gql(`query($id: ID!) { node(id: $id) { ... on Webhook { filter } } }`, { id: hook });
    assert.deepEqual(kept.data.node.filter, { s: { $regex: '^ok' } }, 'a refused update changes nothing');
  });
});
