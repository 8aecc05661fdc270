import assert from 'node:assert/strict';
import { it } from 'node:test';
import { HttpClient } from '../../src/dispatch/http-client';
import { classifyExchange } from '../../src/dispatch/outcome';
import { createAddressPolicy } from '../../src/dispatch/ssrf/address-policy';
import { startWorkerFor } from '../support/child-app';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { readDelivery, route, waitDelivery } from './dispatch-support';

const CIRCUIT = `query($id: ID!) { node(id: $id) { ... on Destination { status circuit { failureStreak openUntil } } } }`;

/**
 * A delivery whose request cannot be built (a header value HTTP cannot carry, from data
 * stored before publishing checked it) fails at once as the request's fault: nothing is
 * sent, nothing is retried, and the destination's circuit breaker does not count it, so
 * deliveries that can be sent go on.
 */
forEachDatabase(
  'dispatch: a request that cannot be built',
  (ctx) => {
    const receiver = useReceiver();

    it('fails at once, is never sent, and leaves the breaker closed', async () => {
      const t = ctx();
      receiver.reset();
      // This app only publishes; a worker process started after the events were altered
      // reads them from the database (the publishing process would have them cached).
      const r = await route(t, receiver.url);
      const bad = await Promise.all(Array.from({ length: 5 }, () => publish(t, { type: r.type })));
      const ids = bad.map((b) => b.eventId);
      // Events stored before publishing refused such values.
      await t.app.services.db.dataSource.query(`UPDATE events SET entity_url = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [
        'http://a.example/\r\nx',
        ...ids,
      ]);
      const worker = await startWorkerFor(t, { HOOKGRAPH_BREAKER_THRESHOLD: '3', HOOKGRAPH_WORKER_POLL_MS: '100' });
      try {
        for (const { deliveryId } of bad) {
          const d = await waitDelivery(t, deliveryId, (v) => v.status !== 'PENDING' && v.status !== 'IN_FLIGHT');
          assert.equal(d.status, 'FAILED');
          assert.equal(d.attemptCount, 0, 'nothing was attempted');
          assert.match(d.lastError ?? '', /could not be built: the value of header X-Hookgraph-Entity-Url/);
          assert.doesNotMatch(d.lastError ?? '', /a\.example/, 'the value is not repeated');
        }
        const good = await publish(t, { type: r.type });
        await waitDelivery(t, good.deliveryId, (v) => v.status === 'SUCCEEDED');
        assert.equal(receiver.requests.length, 1, 'only the sendable delivery reached the receiver');
        const circuit = await t.gql(CIRCUIT, { id: r.destinationId });
        assert.deepEqual(circuit.data.node, { status: 'ACTIVE', circuit: { failureStreak: 0, openUntil: null } });
        assert.equal((await readDelivery(t, bad[0]!.deliveryId)).status, 'FAILED', 'a failed one stays failed');
      } finally {
        await worker.kill('SIGTERM');
      }
    });

    it('a request the HTTP client refuses is the request’s fault (INVALID_REQUEST), and nothing is sent', async () => {
      receiver.reset();
      const http = new HttpClient({ policy: createAddressPolicy({ profile: 'development', allowNetworks: [] }) });
      try {
        const exchange = await http.send(
          {
            method: 'POST',
            url: receiver.url,
            headers: [{ name: 'X-Broken', value: 'a\r\nInjected: yes' }],
            body: '{}',
            bodyRecipe: null,
            signatureBaseString: '',
          },
          2000,
        );
        const outcome = classifyExchange(exchange, { retryOn4xx: false }, new Date());
        assert.equal(outcome.kind, 'FAIL');
        assert.equal(outcome.attemptOutcome, 'INVALID_REQUEST');
        assert.equal(receiver.requests.length, 0);
      } finally {
        await http.close();
      }
    });
  },
  { HOOKGRAPH_WORKER_ENABLED: 'false' },
);
