import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventually } from '../support/deferred';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { readDelivery, route, terminal, waitDelivery } from './dispatch-support';
import { assertPaced, ClaimTimes, publishMany } from './limits-support';

const LIMITED = `query($id: ID!) { node(id: $id) { ... on Destination { rateLimit { perSecond burst maxConcurrency } } } }`;

/**
 * The per-destination rate limit (a token bucket: perSecond with a burst) and max
 * concurrency, against a real receiver on each database: the receiver's clock shows the
 * pace, its count of open requests the concurrency; a limited destination's line holds
 * back only itself. The poll is a minute apart: in one process, the line is claimed
 * whenever something changes for it, never by waiting for the poll.
 */
forEachDatabase(
  'destination rate limit and max concurrency',
  (ctx) => {
    const receiver = useReceiver();
    const other = useReceiver();

    it('sends a burst, then one request per interval, and every delivery arrives', async () => {
      const t = ctx();
      receiver.reset();
      const r = await route(t, receiver.url, { rateLimit: { perSecond: 5, burst: 3 } });
      const read = await t.gql(LIMITED, { id: r.destinationId });
      assert.deepEqual(read.data.node.rateLimit, { perSecond: 5, burst: 3, maxConcurrency: null });
      const claims = await ClaimTimes.watch(t, t.adminKey, r.destinationId);
      try {
        const ids = await publishMany(t, r, 11);
        for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'SUCCEEDED');
        assert.equal(receiver.requests.length, 11, 'nothing was sent twice');
        const at = await eventually(async () => (claims.times().length === 11 ? claims.times() : null));
        assert.ok(at[10]! - at[0]! >= 1600, `11 claims with a burst of 3 at 5/s took ${at[10]! - at[0]!} ms (at least 1600 expected)`);
        assertPaced(at, 5, 3);
      } finally {
        await claims.stop();
      }
    });

    it('keeps at most maxConcurrency requests open, and uses them all', async () => {
      const t = ctx();
      receiver.reset();
      receiver.behave({ kind: 'status', status: 200, delayMs: 250 });
      try {
        const r = await route(t, receiver.url, { rateLimit: { maxConcurrency: 2 } });
        const ids = await publishMany(t, r, 8);
        await receiver.waitFor(8, 10_000);
        for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'SUCCEEDED');
        assert.equal(receiver.maxOpen, 2, `at most 2 at once, and 2 were used (${receiver.maxOpen})`);
      } finally {
        receiver.behave({ kind: 'status', status: 200 });
      }
    });

    it('holds back only its own destination: another one’s deliveries go at once', async () => {
      const t = ctx();
      receiver.reset();
      other.reset();
      const slow = await route(t, receiver.url, { rateLimit: { perSecond: 2, burst: 1 } });
      const fast = await route(t, other.url);
      const claims = await ClaimTimes.watch(t, t.adminKey, slow.destinationId);
      const waiting = await publishMany(t, slow, 20);
      const free = await publishMany(t, fast, 30);
      for (const id of free) await waitDelivery(t, id, (d) => d.status === 'SUCCEEDED');
      // The fast destination's 30 went while the slow one's line (10 s at 2/s) still waited.
      const views = await Promise.all(waiting.map((id) => readDelivery(t, id)));
      const inLine = views.filter((d) => d.status === 'PENDING');
      assert.ok(inLine.length >= 1, 'the limited line was still waiting when the other destination was done');
      // Those still in line show no due time: only the line's claim lets them go.
      assert.deepEqual(new Set(inLine.map((d) => d.nextAttemptAt)), new Set([null]));
      assertPaced(claims.times(), 2, 1);
      await claims.stop();
      // Lifting the limit sends the rest of the line at once.
      const lifted = await t.gql(
        `mutation($id: ID!) { destinationUpdate(id: $id, input: { rateLimit: null }) { destination { rateLimit { perSecond } } userErrors { message } } }`,
        {
          id: slow.destinationId,
        },
      );
      assert.equal(lifted.data.destinationUpdate.destination.rateLimit, null);
      const liftedAt = Date.now();
      for (const id of waiting) await waitDelivery(t, id, terminal);
      assert.ok(Date.now() - liftedAt < 3000, `the line went out ${Date.now() - liftedAt} ms after the limit was lifted`);
      for (const id of waiting) assert.equal((await readDelivery(t, id)).status, 'SUCCEEDED');
      assert.equal(receiver.requests.length, 20, 'each delivery of the line was sent once');
    });

    it('a paused destination keeps its line; resumed, the line goes on at its pace', async () => {
      const t = ctx();
      receiver.reset();
      const r = await route(t, receiver.url, { rateLimit: { perSecond: 5, burst: 1, maxConcurrency: 1 } });
      const claims = await ClaimTimes.watch(t, t.adminKey, r.destinationId);
      const ids = await publishMany(t, r, 6);
      await receiver.waitFor(1, 5000);
      await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: PAUSED }) { destination { status } } }`, { id: r.destinationId });
      const pausedAt = receiver.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // At most a request already claimed when the pause came.
      assert.ok(receiver.requests.length <= pausedAt + 1, `${receiver.requests.length - pausedAt} sent while paused`);
      const resumedAt = Date.now();
      await t.gql(`mutation($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { destination { status } } }`, { id: r.destinationId });
      for (const id of ids) await waitDelivery(t, id, (d) => d.status === 'SUCCEEDED');
      assert.equal(receiver.requests.length, 6);
      assertPaced(
        claims.times().filter((at) => at >= resumedAt),
        5,
        1,
      );
      await claims.stop();
    });

    it('a retry of a limited destination comes due, joins the line and goes out', async () => {
      const t = ctx();
      receiver.reset();
      receiver.script({ kind: 'status', status: 503 });
      const r = await route(t, receiver.url, {
        rateLimit: { perSecond: 5, maxConcurrency: 1 },
        retryPolicy: { strategy: 'SCHEDULE', scheduleSeconds: [1], maxAttempts: 2 },
      });
      const [id] = await publishMany(t, r, 1);
      const retried = await waitDelivery(t, id!, (d) => d.status === 'RETRY_SCHEDULED');
      assert.ok(retried.nextAttemptAt, 'a retry has its due time');
      const done = await waitDelivery(t, id!, (d) => d.status === 'SUCCEEDED', 10_000);
      assert.equal(done.attemptCount, 2);
      assert.deepEqual(done.attempts.nodes.map((a) => a.responseStatusCode).sort(), [200, 503]);
      // Due 1 s (± 20 %) after the first attempt, and never sent before it was due.
      const due = Date.parse(retried.nextAttemptAt!) - Date.parse(retried.attempts.nodes[0]!.createdAt);
      assert.ok(due >= 800 && due <= 1200, `the retry was due ${due} ms after the first attempt`);
      assert.ok(receiver.requests[1]!.at >= Date.parse(retried.nextAttemptAt!), 'the retry went once it was due');
    });

    it('refuses a burst without a rate, and limits out of range', async () => {
      const t = ctx();
      const cases: [Record<string, unknown>, string, string][] = [
        [{ burst: 5 }, 'INVALID', 'burst'],
        [{ perSecond: 0 }, 'OUT_OF_RANGE', 'perSecond'],
        [{ maxConcurrency: 0 }, 'OUT_OF_RANGE', 'maxConcurrency'],
      ];
      for (const [rateLimit, code, field] of cases) {
        const res = await t.gql(
          `mutation($input: DestinationCreateInput!) { destinationCreate(input: $input) { destination { id } userErrors { field code message } } }`,
          { input: { name: `bad-limit-${field}`, url: receiver.url, rateLimit } },
        );
        assert.equal(res.data.destinationCreate.destination, null);
        assert.deepEqual(
          res.data.destinationCreate.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field.join('.')]),
          [[code, `rateLimit.${field}`]],
        );
      }
      const none = await eventually(async () => (await t.gql(`{ destinations(first: 100) { nodes { name } } }`)).data.destinations.nodes);
      assert.ok(!none.some((d: { name: string }) => d.name.startsWith('bad-limit-')));
    });
  },
  { HOOKGRAPH_WORKER_POLL_MS: '60000' },
);
