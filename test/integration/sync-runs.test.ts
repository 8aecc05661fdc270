import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { wireRoute } from './wire-support';

const RUN = 'id stream mode status rows deletes delivered failed outcome completedAt finishedAt';

async function ok<T = any>(app: TestApp, query: string, variables: Record<string, unknown>, key?: string): Promise<T> {
  const res = await app.gql(query, variables, key);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const payload = Object.values(res.data as Record<string, any>)[0];
  assert.deepEqual(payload.userErrors ?? [], [], JSON.stringify(payload.userErrors));
  return payload as T;
}

const start = (app: TestApp, input: Record<string, unknown>, key?: string) =>
  ok(app, `mutation($input: SyncRunStartInput!) { syncRunStart(input: $input) { run { ${RUN} } userErrors { field message code } } }`, { input }, key);
const addRows = (app: TestApp, runId: string, rows: unknown[]) =>
  ok(
    app,
    `mutation($input: EventPublishBatchInput!) { eventPublishBatch(input: $input) { events { id rowNumber runId syncMode syncOp } run { ${RUN} } userErrors { field message code } } }`,
    {
      input: { runId, rows },
    },
  );
const complete = (app: TestApp, id: string) =>
  ok(app, `mutation($id: ID!) { syncRunComplete(id: $id) { run { ${RUN} } userErrors { field message code } } }`, { id });
const readRun = async (app: TestApp, id: string) => (await app.gql(`query($id: ID!) { node(id: $id) { ... on SyncRun { ${RUN} } } }`, { id })).data.node;

async function waitFinished(app: TestApp, id: string) {
  for (let i = 0; i < 400; i++) {
    const run = await readRun(app, id);
    if (run.status === 'FINISHED') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${id} did not finish`);
}

let streams = 0;
const stream = () => `stream${++streams}x${Date.now().toString(36)}`;

forEachDatabase(
  'sync runs',
  (ctx) => {
    const receiver = useReceiver();

    it('rows in batches are numbered across the run; it completes, finishes when delivered, and sync.run.completed carries the counts', async () => {
      const app = ctx();
      receiver.reset();
      const name = stream();
      const rowsHook = await wireRoute(app, `${receiver.url}/rows`, {}, { eventTypes: [name] });
      const done = await wireRoute(app, `${receiver.url}/done`, {}, { eventTypes: ['sync.run.completed'] });
      const { run } = await start(app, { stream: name, mode: 'UPSERT', entityIdField: 'customer.id' });
      assert.deepEqual({ status: run.status, rows: run.rows, mode: run.mode }, { status: 'RUNNING', rows: 0, mode: 'UPSERT' });
      const first = await addRows(app, run.id, [{ customer: { id: 'c1' } }, { customer: { id: 'c2' } }]);
      const second = await addRows(app, run.id, [{ customer: { id: 'c3' } }]);
      assert.deepEqual(
        [...first.events, ...second.events].map((e: any) => [e.rowNumber, e.runId, e.syncMode]),
        [
          [1, run.id, 'UPSERT'],
          [2, run.id, 'UPSERT'],
          [3, run.id, 'UPSERT'],
        ],
      );
      assert.equal(second.run.rows, 3);
      const listed = await app.gql(`query($r: ID) { deliveries(filter: { runId: $r }) { totalCount nodes { webhook { id } } } }`, { r: run.id });
      assert.equal(listed.data.deliveries.totalCount, 3, 'deliveries(filter: { runId })');
      assert.ok(listed.data.deliveries.nodes.every((d: any) => d.webhook.id === rowsHook.webhookId));

      const closed = await complete(app, run.id);
      assert.ok(['COMPLETED', 'FINISHED'].includes(closed.run.status));
      const again = await app.gql(`mutation($input: EventPublishBatchInput!) { eventPublishBatch(input: $input) { userErrors { field code } } }`, {
        input: { runId: run.id, rows: [{ customer: { id: 'late' } }] },
      });
      assert.deepEqual(again.data.eventPublishBatch.userErrors, [{ field: ['runId'], code: 'INVALID_STATE' }]);

      const finished = await waitFinished(app, run.id);
      assert.deepEqual(
        { rows: finished.rows, delivered: finished.delivered, failed: finished.failed, outcome: finished.outcome },
        { rows: 3, delivered: 3, failed: 0, outcome: 'SUCCEEDED' },
      );
      const got = await receiver.waitFor(4);
      const completed = got.find((r) => r.url === '/done');
      assert.ok(completed, 'sync.run.completed was delivered');
      const event = JSON.parse(completed.body);
      assert.equal(event.type, 'sync.run.completed');
      assert.equal(event.source, 'SYSTEM');
      assert.deepEqual(event.data, { runId: run.id, stream: name, mode: 'UPSERT', rows: 3, deletes: 0, delivered: 3, failed: 0, outcome: 'SUCCEEDED' });
      // Later tests' runs must not reach this receiver through it.
      await ok(app, `mutation($id: ID!) { webhookDelete(id: $id) { userErrors { code } } }`, { id: done.webhookId });
    });

    it('MIRROR: entities of the last completed run absent from this one are sent as delete rows', async () => {
      const app = ctx();
      receiver.reset();
      const name = stream();
      await wireRoute(app, `${receiver.url}/mirror`, {}, { eventTypes: [name], payloadFormat: 'VALMI' });
      const one = (await start(app, { stream: name, mode: 'MIRROR' })).run;
      await addRows(app, one.id, [
        { id: 'a', v: 1 },
        { id: 'b', v: 1 },
        { id: 'c', v: 1 },
      ]);
      await complete(app, one.id);
      await waitFinished(app, one.id);
      receiver.reset();

      const two = (await start(app, { stream: name, mode: 'MIRROR' })).run;
      await addRows(app, two.id, [
        { id: 'a', v: 2 },
        { id: 'c', v: 2 },
      ]);
      const closed = (await complete(app, two.id)).run;
      assert.deepEqual({ rows: closed.rows, deletes: closed.deletes }, { rows: 3, deletes: 1 });
      const mirrored = () => receiver.requests.filter((r) => r.url === '/mirror');
      await eventually(async () => mirrored().length >= 3);
      const rows = mirrored()
        .map((r) => JSON.parse(r.body))
        .sort((x, y) => x._valmi_meta._valmi_row_num - y._valmi_meta._valmi_row_num);
      assert.deepEqual(
        rows.map((r) => [r._valmi_meta._valmi_row_num, r._valmi_meta._valmi_sync_op, r.id, r._sync_mode]),
        [
          [1, 'mirror', 'a', 'mirror'],
          [2, 'mirror', 'c', 'mirror'],
          [3, 'delete', 'b', 'mirror'],
        ],
      );
      const events = await app.gql(`query($r: ID) { deliveries(filter: { runId: $r }) { nodes { event { entityId syncOp } } } }`, { r: two.id });
      assert.deepEqual(events.data.deliveries.nodes.map((d: any) => d.event.syncOp).sort(), ['delete', null, null]);
      assert.equal((await waitFinished(app, two.id)).outcome, 'SUCCEEDED');
    });

    it('failed deliveries: PARTIAL when some failed, FAILED when none succeeded', async () => {
      const app = ctx();
      receiver.reset();
      receiver.behave({ kind: 'status', status: 500 });
      const name = stream();
      await wireRoute(app, `${receiver.url}/fails`, { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [0], maxAttempts: 1 } }, { eventTypes: [name] });
      const failing = (await start(app, { stream: name, mode: 'APPEND' })).run;
      await addRows(app, failing.id, [{ id: 1 }, { id: 2 }]);
      await complete(app, failing.id);
      const failed = await waitFinished(app, failing.id);
      assert.deepEqual({ delivered: failed.delivered, failed: failed.failed, outcome: failed.outcome }, { delivered: 0, failed: 2, outcome: 'FAILED' });

      const other = stream();
      await wireRoute(app, `${receiver.url}/fails2`, { retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [0], maxAttempts: 1 } }, { eventTypes: [other] });
      receiver.reset();
      receiver.script({ kind: 'status', status: 200 });
      receiver.behave({ kind: 'status', status: 500 });
      const partial = (await start(app, { stream: other, mode: 'APPEND' })).run;
      await addRows(app, partial.id, [{ id: 1 }]);
      await receiver.waitFor(1);
      await addRows(app, partial.id, [{ id: 2 }]);
      await complete(app, partial.id);
      const mixed = await waitFinished(app, partial.id);
      assert.deepEqual({ delivered: mixed.delivered, failed: mixed.failed, outcome: mixed.outcome }, { delivered: 1, failed: 1, outcome: 'PARTIAL' });
      receiver.behave({ kind: 'status', status: 200 });
    });

    it('bad input: a second run of a stream in progress, another mode, no type without a run, reserved type, another tenant’s run', async () => {
      const app = ctx();
      const name = stream();
      const { run } = await start(app, { stream: name, mode: 'UPSERT' });
      const second = await app.gql(`mutation { syncRunStart(input: { stream: "${name}", mode: UPSERT }) { run { id } userErrors { field code } } }`);
      assert.deepEqual(second.data.syncRunStart.userErrors, [{ field: ['stream'], code: 'INVALID_STATE' }]);
      const mode = await app.gql(`mutation($r: ID) { eventPublishBatch(input: { runId: $r, syncMode: MIRROR, rows: [{}] }) { userErrors { field code } } }`, {
        r: run.id,
      });
      assert.deepEqual(mode.data.eventPublishBatch.userErrors, [{ field: ['syncMode'], code: 'INVALID' }]);
      const noType = await app.gql(`mutation { eventPublishBatch(input: { syncMode: UPSERT, rows: [{}] }) { userErrors { field code } } }`);
      assert.deepEqual(noType.data.eventPublishBatch.userErrors, [{ field: ['type'], code: 'INVALID' }]);
      const reserved = await app.gql(`mutation { eventPublish(input: { type: "sync.run.completed" }) { userErrors { field code } } }`);
      assert.equal(reserved.data.eventPublish.userErrors[0].code, 'RESERVED_EVENT_TYPE');
      const badStream = await app.gql(`mutation { syncRunStart(input: { stream: "no spaces", mode: UPSERT }) { userErrors { field code } } }`);
      assert.deepEqual(badStream.data.syncRunStart.userErrors[0].field, ['stream']);

      const uid = `sync-b-${Date.now().toString(36)}`;
      await app.gql(`mutation($uid: String!) { tenantCreate(input: { uid: $uid, name: "B" }) { tenant { id } } }`, { uid });
      const key = (await app.gql(`mutation($uid: String!) { apiKeyCreate(input: { name: "b", role: PUBLISHER, tenant: $uid }) { key } }`, { uid })).data
        .apiKeyCreate.key;
      const foreign = await app.gql(
        `mutation($r: ID) { eventPublishBatch(input: { runId: $r, rows: [{}] }) { userErrors { field code } } }`,
        { r: run.id },
        key,
      );
      assert.deepEqual(foreign.data.eventPublishBatch.userErrors, [{ field: ['runId'], code: 'NOT_FOUND' }]);
      const closeForeign = await app.gql(`mutation($r: ID!) { syncRunComplete(id: $r) { userErrors { code } } }`, { r: run.id }, key);
      assert.equal(closeForeign.data.syncRunComplete.userErrors[0].code, 'NOT_FOUND');
      assert.equal((await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: run.id }, key)).data.node, null);
      assert.equal((await app.gql(`{ syncRuns { totalCount } }`, {}, key)).data.syncRuns.totalCount, 0, 'B sees none of A’s runs');
      assert.ok((await app.gql(`{ syncRuns { totalCount } }`)).data.syncRuns.totalCount >= 1);
      await complete(app, run.id);
    });
  },
  { HOOKGRAPH_SYNC_RUN_LOOK_MS: '20' },
);
