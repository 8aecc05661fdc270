import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Client } from 'graphql-ws';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { createKey } from '../support/fixtures';
import { publish } from '../support/publish';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { connected, subscribe, wsClient } from '../support/ws-client';
import { readDelivery, route, waitDelivery } from './dispatch-support';
import { CANCEL, JOB, PROGRESS, RECOVER, REPLAY, readJob, startJob, waitJob, type JobView } from './job-support';

const RESEND = `mutation($id: ID!) { deliveryResend(id: $id) { delivery { id status trigger } userErrors { field code message } } }`;
const WEBHOOK_DELIVERIES = `query($w: ID!) { deliveries(first: 100, filter: { webhookId: $w }) { nodes { id trigger status event { id } } } }`;

async function webhookCreate(t: TestApp, destinationId: string, eventTypes: string[], key?: string): Promise<string> {
  const res = await t.gql(
    `mutation($d: ID!, $types: [String!]!) { webhookCreate(input: { name: "replayed-${Math.random()}", destinationId: $d, eventTypes: $types }) { webhook { id } userErrors { code } } }`,
    { d: destinationId, types: eventTypes },
    key,
  );
  assert.deepEqual(res.data.webhookCreate.userErrors, []);
  return res.data.webhookCreate.webhook.id;
}

async function deliveriesOf(t: TestApp, webhookId: string): Promise<{ id: string; trigger: string; status: string; event: { id: string } }[]> {
  return (await t.gql(WEBHOOK_DELIVERIES, { w: webhookId })).data.deliveries.nodes;
}

/**
 * Resend, recover and replay through the API on a real receiver: what each sends again,
 * what its dry run counts, and that a tenant's key reaches only its own jobs.
 */
forEachDatabase('bulk jobs: resend, recover, replay', (ctx) => {
  const accepting = useReceiver();
  const refusing = useReceiver();
  refusing.behave({ kind: 'status', status: 400 });

  it('resends a SUCCEEDED delivery: a new round with trigger RESEND, the same webhook-id', async () => {
    const t = ctx();
    const r = await route(t, accepting.url);
    const published = await publish(t, { type: r.type, data: { n: 1 } });
    await waitDelivery(t, published.deliveryId, (d) => d.status === 'SUCCEEDED');
    const before = accepting.requests.length;

    const res = (await t.gql(RESEND, { id: published.deliveryId })).data.deliveryResend;
    assert.deepEqual(res, { delivery: { id: published.deliveryId, status: 'PENDING', trigger: 'RESEND' }, userErrors: [] });
    const d = await waitDelivery(t, published.deliveryId, (v) => v.status === 'SUCCEEDED' && v.attemptCount === 2);
    assert.equal(d.trigger, 'RESEND');
    assert.deepEqual(d.attempts.nodes.map((a) => a.attemptNumber).sort(), [1, 2], 'attempt numbering goes on');
    const again = await accepting.waitFor(before + 1);
    assert.equal(again[before]!.headers['webhook-id'], published.eventId, 'the same webhook-id: the event id');

    const unknown = (await t.gql(RESEND, { id: 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV' })).data.deliveryResend.userErrors;
    assert.deepEqual(
      unknown.map((e: { code: string }) => e.code),
      ['NOT_FOUND'],
    );
  });

  it('recovers only the FAILED deliveries of the destination inside the window; a dry run counts', async () => {
    const t = ctx();
    const r = await route(t, refusing.url);
    const other = await route(t, refusing.url);
    const early = await publish(t, { type: r.type, data: { n: 0 } });
    await waitDelivery(t, early.deliveryId, (d) => d.status === 'FAILED');
    const earlyCreated = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Delivery { createdAt } } }`, { id: early.deliveryId })).data.node.createdAt;
    const since = new Date(new Date(earlyCreated).getTime() + 1).toISOString();
    const inside: string[] = [];
    for (let n = 1; n <= 3; n++) inside.push((await publish(t, { type: r.type, data: { n } })).deliveryId);
    for (const id of inside) await waitDelivery(t, id, (d) => d.status === 'FAILED');
    const elsewhere = await publish(t, { type: other.type, data: {} });
    await waitDelivery(t, elsewhere.deliveryId, (d) => d.status === 'FAILED');
    // A SUCCEEDED one inside the window, on the same destination, is left alone.
    refusing.script({ kind: 'status', status: 200 });
    const succeeded = await publish(t, { type: r.type, data: { ok: true } });
    await waitDelivery(t, succeeded.deliveryId, (d) => d.status === 'SUCCEEDED');

    const dry = (await t.gql(RECOVER, { id: r.destinationId, since, dryRun: true })).data.destinationRecover;
    assert.deepEqual(dry, { matched: 3, job: null, userErrors: [] });
    assert.equal((await readDelivery(t, inside[0]!)).attemptCount, 1, 'a dry run changes nothing');

    const job = await startJob(t, RECOVER, { id: r.destinationId, since });
    assert.deepEqual(
      { ...job, id: undefined, status: undefined },
      { id: undefined, status: undefined, kind: 'RECOVER', total: 3, done: 0, error: null, matched: 3 },
    );
    const finished = await waitJob(t, job.id, (j) => j.status === 'SUCCEEDED');
    assert.equal(finished.done, 3);
    for (const id of inside) {
      const d = await waitDelivery(t, id, (v) => v.status === 'FAILED' && v.attemptCount === 2);
      assert.equal(d.trigger, 'MANUAL_RETRY');
    }
    assert.equal((await readDelivery(t, early.deliveryId)).attemptCount, 1, 'before the window');
    assert.equal((await readDelivery(t, elsewhere.deliveryId)).attemptCount, 1, 'another destination');
    assert.equal((await readDelivery(t, succeeded.deliveryId)).attemptCount, 1, 'not FAILED');

    const refused = async (variables: Record<string, unknown>) =>
      (await t.gql(RECOVER, { id: r.destinationId, since, dryRun: true, ...variables })).data.destinationRecover.userErrors.map(
        (e: { field: string[]; code: string }) => [e.field, e.code],
      );
    assert.deepEqual(await refused({ until: since }), [[['until'], 'INVALID']]);
    assert.deepEqual(await refused({ id: 'dst_01ARZ3NDEKTSV4RRFFQ69G5FAV' }), [[['id'], 'NOT_FOUND']]);
  });

  it('replays the window to a webhook: events from before it existed and ones it delivered, as REPLAY deliveries', async () => {
    const t = ctx();
    const r = await route(t, accepting.url);
    const since = new Date(Date.now() - 1000).toISOString();
    // Published before the second webhook exists.
    const before = await publish(t, { type: r.type, data: { n: 'before' } });
    await waitDelivery(t, before.deliveryId, (d) => d.status === 'SUCCEEDED');
    const late = await webhookCreate(t, r.destinationId, [r.type]);
    // Delivered to it already.
    const delivered = await publish(t, { type: r.type, data: { n: 'delivered' } });
    const first = delivered.deliveries.find((d) => d.webhookId === late)!;
    await waitDelivery(t, first.id, (d) => d.status === 'SUCCEEDED');
    // Of a type it does not want.
    await publish(t, { type: `${r.type}.other`, data: {} });

    const dry = (await t.gql(REPLAY, { id: late, since, dryRun: true })).data.webhookReplay;
    assert.deepEqual(dry, { matched: 2, job: null, userErrors: [] });
    assert.equal((await deliveriesOf(t, late)).length, 1, 'a dry run changes nothing');

    const requestsBefore = accepting.requests.length;
    const job = await startJob(t, REPLAY, { id: late, since });
    assert.equal(job.matched, 2);
    assert.equal((await waitJob(t, job.id, (j) => j.status === 'SUCCEEDED')).done, 2);
    const replays = (await deliveriesOf(t, late)).filter((d) => d.trigger === 'REPLAY');
    assert.deepEqual(replays.map((d) => d.event.id).sort(), [before.eventId, delivered.eventId].sort());
    for (const d of replays) await waitDelivery(t, d.id, (v) => v.status === 'SUCCEEDED');
    const sent = accepting.requests.slice(requestsBefore).map((q) => q.headers['webhook-id']);
    assert.deepEqual(sent.sort(), [before.eventId, delivered.eventId].sort(), 'each replayed event reached the receiver once more');
  });

  it("keeps a tenant's key to its own jobs", async () => {
    const t = ctx();
    const tenants = ['jobs-a', 'jobs-b'];
    const keys: string[] = [];
    for (const uid of tenants) {
      await t.gql(`mutation($u: String!) { tenantCreate(input: { uid: $u, name: $u }) { userErrors { code } } }`, { u: uid });
      const res = await t.gql(`mutation($t: String!) { apiKeyCreate(input: { name: "k", role: ADMIN, tenant: $t }) { key } }`, { t: uid });
      keys.push(res.data.apiKeyCreate.key);
    }
    const [a, b] = keys as [string, string];
    const dest = await t.gql(`mutation($u: String!) { destinationCreate(input: { name: "mine", url: $u }) { destination { id } } }`, { u: accepting.url }, a);
    const destinationId = dest.data.destinationCreate.destination.id;
    const webhookId = await webhookCreate(t, destinationId, ['iso.*'], a);
    const since = new Date(Date.now() - 60_000).toISOString();

    const job = await startJob(t, REPLAY, { id: webhookId, since }, a);
    const codes = async (mutation: string, variables: Record<string, unknown>) =>
      Object.values((await t.gql(mutation, variables, b)).data as Record<string, { userErrors: { code: string }[] }>)[0]!.userErrors.map((e) => e.code);
    assert.deepEqual(await codes(REPLAY, { id: webhookId, since, dryRun: true }), ['NOT_FOUND']);
    assert.deepEqual(await codes(RECOVER, { id: destinationId, since, dryRun: false }), ['NOT_FOUND']);
    assert.deepEqual(await codes(CANCEL, { id: job.id }), ['NOT_FOUND']);
    assert.equal(await readJob(t, job.id, b), null);
    assert.equal((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: job.id }, b)).data.node, null);
    assert.equal((await readJob(t, job.id, a))!.id, job.id);
    assert.equal((await t.gql(`query($id: ID!) { node(id: $id) { ... on BulkJob { kind } } }`, { id: job.id }, a)).data.node.kind, 'REPLAY');
    // A tenant's key cannot reach a job of the whole installation either.
    const retry = await t.gql(`mutation { deliveriesRetry(filter: {}, dryRun: false) { job { id } } }`);
    assert.equal(await readJob(t, retry.data.deliveriesRetry.job.id, a), null);
    const viewer = await createKey(t, 'VIEWER');
    assert.equal((await t.gql(JOB, { id: job.id }, viewer)).data.bulkJob.id, job.id, 'a viewer of the whole installation sees it');

    // bulkJobs lists what a key may see, newest first; `status` narrows it.
    const listed = async (key?: string, status?: string[]) =>
      (
        (await t.gql(`query($s: [BulkJobStatus!]) { bulkJobs(first: 100, status: $s) { nodes { id status } } }`, { s: status ?? null }, key)).data.bulkJobs
          .nodes as { id: string; status: string }[]
      ).map((j) => j.id);
    const everyJob = await listed(viewer);
    assert.deepEqual(everyJob.slice(0, 2), [retry.data.deliveriesRetry.job.id, job.id], 'newest first, every tenant’s and the installation’s');
    assert.deepEqual(await listed(a), [job.id]);
    assert.deepEqual(await listed(b), []);
    await waitJob(t, retry.data.deliveriesRetry.job.id, (j) => j.status === 'SUCCEEDED');
    const running = await listed(viewer, ['QUEUED', 'RUNNING']);
    assert.ok(!running.includes(retry.data.deliveriesRetry.job.id), 'a finished job is not among the running ones');
    assert.ok((await listed(viewer, ['SUCCEEDED'])).includes(retry.data.deliveriesRetry.job.id));

    // A deleted tenant's jobs go with it.
    await waitJob(t, job.id, (j) => j.status === 'SUCCEEDED');
    const tenantId = (await t.gql(`query($id: ID!) { bulkJob(id: $id) { tenantId } }`, { id: job.id })).data.bulkJob.tenantId;
    await t.gql(`mutation($id: ID!) { tenantDelete(id: $id) { userErrors { code } } }`, { id: tenantId });
    await eventually(async () => (await readJob(t, job.id)) === null, 15_000, 50);
  });
});

/**
 * Jobs slowed down by a pause after each one-item batch (HOOKGRAPH_JOB_BATCH_DELAY_MS),
 * so a test can act while one runs: progress streams, and cancel stops it.
 */
forEachDatabase(
  'bulk jobs: progress and cancel',
  (ctx) => {
    const accepting = useReceiver();
    const clients: Client[] = [];
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
    });

    async function replayable(t: TestApp, n: number): Promise<{ webhookId: string; since: string }> {
      const since = new Date(Date.now() - 1000).toISOString();
      const r = await route(t, accepting.url);
      for (let i = 0; i < n; i++) await publish(t, { type: r.type, data: { i } });
      return { webhookId: r.webhookId, since };
    }

    it('streams the done count over graphql-ws to the end', async () => {
      const t = ctx();
      const { webhookId, since } = await replayable(t, 3);
      const c = wsClient(t.url, t.adminKey);
      clients.push(c);
      await connected(c);
      const job = await startJob(t, REPLAY, { id: webhookId, since });
      const stream = subscribe<{ bulkJobProgress: JobView }>(c, PROGRESS, { id: job.id });
      const seen: JobView[] = [];
      do seen.push((await stream.next(10_000)).data!.bulkJobProgress);
      while (seen.at(-1)!.status !== 'SUCCEEDED');
      stream.stop();
      const done = seen.map((p) => p.done);
      assert.deepEqual(
        done,
        [...done].sort((x, y) => x - y),
        `done never goes back: ${JSON.stringify(seen)}`,
      );
      const { matched: _matched, ...started } = job;
      assert.deepEqual(seen.at(-1), { ...started, status: 'SUCCEEDED', done: 3 });
      assert.ok(seen.some((p) => p.status === 'RUNNING' && p.done > 0 && p.done < 3) || seen.length === 1, JSON.stringify(seen));
    });

    it('cancel stops a running job; what it did stays done', async () => {
      const t = ctx();
      const { webhookId, since } = await replayable(t, 5);
      const job = await startJob(t, REPLAY, { id: webhookId, since });
      await waitJob(t, job.id, (j) => j.done >= 1);
      const cancelled = (await t.gql(CANCEL, { id: job.id })).data.bulkJobCancel;
      assert.deepEqual(cancelled.userErrors, []);
      assert.equal(cancelled.job.status, 'CANCELLED');
      assert.ok(cancelled.job.done < 5, JSON.stringify(cancelled.job));
      // The runner takes one job at a time: once a later one finished, the cancelled one's loop has ended.
      const after = await replayable(t, 1);
      await waitJob(t, (await startJob(t, REPLAY, { id: after.webhookId, since: after.since })).id, (j) => j.status === 'SUCCEEDED');
      const final = (await readJob(t, job.id))!;
      assert.deepEqual(final, cancelled.job, 'nothing changed after the cancel');
      const replays = (await deliveriesOf(t, webhookId)).filter((d) => d.trigger === 'REPLAY');
      assert.equal(replays.length, final.done, 'the deliveries it made stay');
      const again = (await t.gql(CANCEL, { id: job.id })).data.bulkJobCancel.userErrors;
      assert.deepEqual(
        again.map((e: { code: string }) => e.code),
        ['INVALID_STATE'],
      );
    });
  },
  { HOOKGRAPH_JOB_BATCH_SIZE: '1', HOOKGRAPH_JOB_BATCH_DELAY_MS: '300' },
);
