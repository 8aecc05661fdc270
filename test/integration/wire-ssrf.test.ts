import assert from 'node:assert/strict';
import { it } from 'node:test';
import { useReceiver } from '../support/receiver';
import { forEachDatabase } from '../support/suite';
import { publish } from '../support/publish';
import { terminal, waitDelivery } from './dispatch-support';
import { wireRoute } from './wire-support';

const TEST_SEND = `mutation($id: ID!) { destinationTest(id: $id) { attempt { outcome error responseStatusCode } userErrors { message } } }`;

forEachDatabase(
  'wire: the SSRF guard in the production profile (internal addresses in every spelling)',
  (ctx) => {
    // A local receiver the guard must not open a single connection to.
    const target = useReceiver();

    it('a destination on 127.0.0.1 or localhost ends BLOCKED_ADDRESS and no connection reaches the receiver', async () => {
      const app = ctx();
      const { port } = target;
      for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`]) {
        const r = await wireRoute(app, url);
        const { deliveryId } = await publish(app, { type: r.type });
        const d = await waitDelivery(app, deliveryId, terminal);
        assert.equal(d.status, 'FAILED', url);
        assert.equal(d.attempts.nodes.length, 1, 'a blocked address is not retried');
        assert.equal(d.attempts.nodes[0]!.outcome, 'BLOCKED_ADDRESS', url);
        assert.match(d.attempts.nodes[0]!.error ?? '', /loopback/);
      }
      assert.equal(target.connections, 0);
    });

    it('refuses every entry of the table', async () => {
      const app = ctx();
      const { port } = target;
      const table = [
        `http://127.0.0.1:${port}/`,
        `http://localhost:${port}/`,
        `http://127.1:${port}/`,
        `http://0.0.0.0:${port}/`,
        `http://[::1]:${port}/`,
        `http://[::ffff:127.0.0.1]:${port}/`,
        'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.1/',
        'http://172.16.0.1/',
        'http://192.168.1.1/',
        'http://100.64.0.1/',
        'http://[fc00::1]/',
        'http://[fe80::1]/',
        'http://[64:ff9b::a9fe:a9fe]/',
        `http://2130706433:${port}/`,
        `http://0177.0.0.1:${port}/`,
        `http://0x7f.0.0.1:${port}/`,
      ];
      for (const url of table) {
        const r = await wireRoute(app, url);
        const res = await app.gql(TEST_SEND, { id: r.destinationId });
        assert.equal(res.errors, undefined, `${url}: ${JSON.stringify(res.errors)}`);
        assert.equal(res.data.destinationTest.attempt.outcome, 'BLOCKED_ADDRESS', url);
        assert.equal(res.data.destinationTest.attempt.responseStatusCode, null, url);
      }
      assert.equal(target.connections, 0);
    });

    it('refuses non-http(s) schemes at creation', async () => {
      const app = ctx();
      for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'gopher://127.0.0.1:70/', 'ws://example.com/', 'javascript:alert(1)']) {
        const res = await app.gql(
          `mutation($input: DestinationCreateInput!) { destinationCreate(input: $input) { destination { id } userErrors { field code } } }`,
          {
            input: { name: `scheme-${url.slice(0, 4)}-${Math.random()}`, url },
          },
        );
        assert.equal(res.data.destinationCreate.destination, null, url);
        assert.equal(res.data.destinationCreate.userErrors[0].code, 'INVALID_URL', url);
      }
    });
  },
  { HOOKGRAPH_PROFILE: 'production' },
);

forEachDatabase(
  'wire: HOOKGRAPH_ALLOW_NETWORKS admits; redirects are never followed',
  (ctx) => {
    const receiver = useReceiver();
    const internal = useReceiver();

    it('delivers to an allowed network in production', async () => {
      const app = ctx();
      const r = await wireRoute(app, receiver.url);
      const { deliveryId } = await publish(app, { type: r.type });
      assert.equal((await waitDelivery(app, deliveryId, terminal)).status, 'SUCCEEDED');
      assert.equal(receiver.requests.length, 1);
    });

    it('does not follow a 302 to an internal address: the attempt fails with the 302, the target sees nothing', async () => {
      const app = ctx();
      receiver.reset();
      receiver.behave({ kind: 'status', status: 302, headers: { location: `${internal.url}/admin` } });
      const r = await wireRoute(app, receiver.url);
      const { deliveryId } = await publish(app, { type: r.type });
      const d = await waitDelivery(app, deliveryId, terminal);
      assert.equal(d.status, 'FAILED');
      assert.equal(d.attempts.nodes[0]!.responseStatusCode, 302);
      assert.equal(receiver.requests.length, 1);
      assert.equal(internal.requests.length, 0);
      const test = await app.gql(TEST_SEND, { id: r.destinationId });
      assert.equal(test.data.destinationTest.attempt.responseStatusCode, 302);
      assert.equal(internal.requests.length, 0);
    });
  },
  { HOOKGRAPH_PROFILE: 'production', HOOKGRAPH_ALLOW_NETWORKS: '127.0.0.0/8' },
);
