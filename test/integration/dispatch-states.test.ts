import assert from 'node:assert/strict';
import { after, afterEach, before, it } from 'node:test';
import mysql from 'mysql2/promise';
import { Dispatcher } from '../../src/dispatch/dispatcher';
import type { TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { createDestination, pauseDestination } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { route, waitDelivery } from './dispatch-support';

/** The row as stored: what a stop left of a delivery. */
async function stored(t: TestApp, id: string): Promise<{ status: string; leaseOwner: string | null; attemptCount: number }> {
  const rows = (await t.app.services.db.dataSource.query(`SELECT status, lease_owner, attempt_count FROM deliveries WHERE id = ?`, [id])) as {
    status: string;
    lease_owner: string | null;
    attempt_count: number | string;
  }[];
  return { status: rows[0]!.status, leaseOwner: rows[0]!.lease_owner, attemptCount: Number(rows[0]!.attempt_count) };
}

/** MySQL transactions waiting for a row lock. */
async function lockWaits(connection: mysql.Connection): Promise<number> {
  const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'`);
  return Number((rows as { n: number | string }[])[0]!.n);
}

/**
 * The claim loop's named states (claim-loop.ts), watched on a real dispatcher over a real
 * database and receiver. The app runs no dispatcher of its own: each test makes one as
 * main.ts does, and listens to the signals after it, so it sees the state each signal
 * left. No poll: only the signals wake it.
 */
forEachDatabase(
  'dispatch: the claim loop’s states',
  (ctx) => {
    let receiver: Receiver;
    const dispatchers: Dispatcher[] = [];
    before(async () => {
      receiver = await Receiver.start();
    });
    after(() => receiver.stop());
    afterEach(async () => {
      await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    });

    function dispatcherOf(t: TestApp): Dispatcher {
      const dispatcher = new Dispatcher({ ...t.app.services, log: t.app.log }, { ...t.config.dispatch, enabled: true });
      dispatchers.push(dispatcher);
      return dispatcher;
    }

    /** Wakes the dispatcher as an operator's retry does, with nothing re-queued. */
    function wake(t: TestApp): void {
      t.app.services.signals.emit('deliveriesRequeued', []);
    }

    it('STARTING until the first sweep ends, WAITING, WOKEN by a publish, CLAIMING, WAITING again, STOPPED', async () => {
      const t = ctx();
      const r = await route(t, receiver.url);
      const dispatcher = dispatcherOf(t);
      assert.equal(dispatcher.state, 'STOPPED');
      dispatcher.start();
      assert.equal(dispatcher.state, 'STARTING');
      wake(t);
      assert.equal(dispatcher.state, 'STARTING', 'a wake-up waits for the end of the first sweep, which claims');
      await eventually(async () => dispatcher.state === 'WAITING');

      const { signals } = t.app.services;
      const seen: string[] = [];
      const offs = [
        signals.on('deliveriesCreated', () => seen.push(`created: ${dispatcher.state}`)),
        signals.on('deliveryUpdated', (delivery) => seen.push(`${delivery.status}: ${dispatcher.state}`)),
      ];
      try {
        const { deliveryId } = await publish(t, { type: r.type });
        await waitDelivery(t, deliveryId, (d) => d.status === 'SUCCEEDED');
      } finally {
        for (const off of offs) off();
      }
      assert.deepEqual(seen.slice(0, 2), ['created: WOKEN', 'IN_FLIGHT: CLAIMING'], 'one claim at the end of the turn took it');
      await eventually(async () => dispatcher.state === 'WAITING');

      const stopping = dispatcher.stop();
      assert.equal(dispatcher.state, 'STOPPED');
      await stopping;
      wake(t);
      assert.equal(dispatcher.state, 'STOPPED', 'wake-ups are ignored');
    });

    it('a stop between the wake-up and its claim claims nothing', async () => {
      const t = ctx();
      const r = await route(t, receiver.url);
      const dispatcher = dispatcherOf(t);
      dispatcher.start();
      await eventually(async () => dispatcher.state === 'WAITING');
      let stopping: Promise<void> | null = null;
      const off = t.app.services.signals.on('deliveriesCreated', () => {
        assert.equal(dispatcher.state, 'WOKEN');
        stopping = dispatcher.stop();
      });
      let deliveryId: string;
      try {
        ({ deliveryId } = await publish(t, { type: r.type }));
      } finally {
        off();
      }
      assert.ok(stopping, 'the publish was heard');
      await stopping;
      assert.deepEqual(await stored(t, deliveryId), { status: 'PENDING', leaseOwner: null, attemptCount: 0 });
    });

    it('a stop waits for the claim running, then gives back what it took (MySQL: the claim waits on a row lock)', async (tc) => {
      const t = ctx();
      if (t.config.database.kind !== 'mysql') {
        tc.skip('SQLite has one writer: a claim cannot be held back without holding back the test');
        return;
      }
      const r = await route(t, receiver.url);
      const { eventId, deliveryId } = await publish(t, { type: r.type });
      // A claim locks the rows of the destinations it holds back (queue/hold-inactive.ts).
      const paused = await createDestination(t);
      await pauseDestination(t, paused.id);
      const other = await mysql.createConnection(t.config.database.url);
      try {
        await other.query('START TRANSACTION');
        await other.query('SELECT id FROM destinations WHERE id = ? FOR UPDATE', [paused.id]);
        const dispatcher = dispatcherOf(t);
        dispatcher.start();
        await eventually(async () => dispatcher.state === 'CLAIMING' && (await lockWaits(other)) > 0);
        let stopped = false;
        const stopping = dispatcher.stop().then(() => (stopped = true));
        assert.equal(dispatcher.state, 'STOPPED');
        assert.equal(await lockWaits(other), 1, 'the claim still waits');
        assert.equal(stopped, false, 'and so does the stop');
        await other.query('COMMIT');
        await stopping;
      } finally {
        await other.end();
      }
      assert.deepEqual(await stored(t, deliveryId), { status: 'PENDING', leaseOwner: null, attemptCount: 0 }, 'claimed, then given back unsent');
      assert.equal(receiver.requests.filter((q) => q.headers['webhook-id'] === eventId).length, 0);
    });
  },
  { HOOKGRAPH_WORKER_ENABLED: 'false', HOOKGRAPH_WORKER_POLL_MS: '60000' },
);
