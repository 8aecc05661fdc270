import assert from 'node:assert/strict';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/child';
import { databaseKinds, freshDatabase } from '../support/databases';

async function gql(url: string, key: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data: any; errors?: unknown[] };
}

describe('sqlite: the command line (npm start)', () => {
  it('first start makes and prints one admin key; the quick-start script works; Ctrl-C stops cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-cli-'));
    const env = { PORT: '0', HOOKGRAPH_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    try {
      const first = runCli(['serve'], env);
      const url = await first.waitForCapture(/GraphQL API:\s+(http:\/\/\S+)\/graphql/);
      const key = await first.waitForCapture(/admin key:\s+(hg_\S+)/);
      assert.ok(fs.existsSync(path.join(dataDir, 'hookgraph.db')), 'SQLite file in the data folder');
      assert.ok(fs.existsSync(path.join(dataDir, 'secret.key')), 'development master key generated');

      const dest = await gql(url, key, `mutation { destinationCreate(input: { name: "recv", url: "http://127.0.0.1:9/x" }) { destination { id } } }`);
      const destinationId = dest.data.destinationCreate.destination.id;
      await gql(url, key, `mutation($d: ID!) { webhookCreate(input: { name: "all", destinationId: $d, eventTypes: ["*"] }) { webhook { id } } }`, {
        d: destinationId,
      });
      const pub = await gql(url, key, `mutation { eventPublish(input: { type: "order.created", data: { id: 1 } }) { event { id } } }`);
      const eventId = pub.data.eventPublish.event.id;
      const read = await gql(url, key, `query($e: ID) { deliveries(filter: { eventId: $e }) { nodes { status destination { id } } } }`, { e: eventId });
      assert.equal(read.data.deliveries.nodes.length, 1);
      assert.ok(['PENDING', 'IN_FLIGHT', 'RETRY_SCHEDULED', 'FAILED', 'SUCCEEDED'].includes(read.data.deliveries.nodes[0].status));

      first.kill('SIGINT');
      assert.equal(await first.exited, 0, `stderr: ${first.stderr()}`);

      const second = runCli(['serve'], env);
      const url2 = await second.waitForCapture(/GraphQL API:\s+(http:\/\/\S+)\/graphql/);
      assert.ok(!second.stderr().includes('admin key:'), 'the key is printed only on the first start');
      const again = await gql(url2, key, `{ events { totalCount } }`);
      assert.ok(again.data.events.totalCount >= 1, 'data and key survive a restart');
      second.kill('SIGTERM');
      assert.equal(await second.exited, 0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a first start that cannot listen makes no key; the first start that serves prints one', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-cli-'));
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const refused = runCli(['serve'], { PORT: String(port), HOOKGRAPH_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
      assert.equal(await refused.exited, 1);
      assert.match(refused.stderr(), new RegExp(`127\\.0\\.0\\.1:${port} is already in use .*set PORT`));
      assert.doesNotMatch(refused.stderr(), /admin key/);

      const serving = runCli(['serve'], { PORT: '0', HOOKGRAPH_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
      const url = await serving.waitForCapture(/GraphQL API:\s+(http:\/\/\S+)\/graphql/);
      const key = await serving.waitForCapture(/admin key:\s+(hg_\S+)/);
      const res = await gql(url, key, `{ destinations { totalCount } }`);
      assert.equal(res.data.destinations.totalCount, 0, 'the printed key works');
      serving.kill('SIGTERM');
      assert.equal(await serving.exited, 0);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prints its version', async () => {
    const child = runCli(['--version'], {});
    assert.equal(await child.exited, 0);
    assert.equal(child.stdout().trim(), (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version);
  });

  it('stops with a message naming a bad variable', async () => {
    const child = runCli(['serve'], { PORT: 'eighty', HOOKGRAPH_DATA_DIR: os.tmpdir() });
    assert.equal(await child.exited, 2);
    assert.match(child.stderr(), /PORT: must be an integer/);
  });
});

if (databaseKinds().includes('mysql')) {
  describe('mysql: the command line', () => {
    it('says how to make a MySQL database that does not exist', async () => {
      const base = new URL(process.env.TEST_MYSQL_URL!);
      base.pathname = '/hookgraph_no_such_database';
      const child = runCli(['serve'], {
        PORT: '0',
        HOOKGRAPH_DATA_DIR: os.tmpdir(),
        DATABASE_URL: base.toString(),
        HOOKGRAPH_ADMIN_KEY: 'cli-test-admin-key-123456',
        LOG_LEVEL: 'warn',
      });
      assert.equal(await child.exited, 1);
      assert.match(
        child.stderr(),
        /the MySQL database "hookgraph_no_such_database" does not exist.*CREATE DATABASE `hookgraph_no_such_database` CHARACTER SET utf8mb4/s,
      );
    });

    it('refuses to serve with pending migrations, then `hookgraph migrate` applies them', async () => {
      const db = await freshDatabase('mysql');
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-cli-'));
      const env = {
        PORT: '0',
        HOOKGRAPH_DATA_DIR: dataDir,
        DATABASE_URL: (db.config as { url: string }).url,
        HOOKGRAPH_ADMIN_KEY: 'cli-test-admin-key-123456',
        LOG_LEVEL: 'warn',
      };
      try {
        const refused = runCli(['serve'], env);
        assert.equal(await refused.exited, 1);
        assert.match(refused.stderr(), /pending migrations/);
        const migrate = runCli(['migrate'], env);
        assert.equal(await migrate.exited, 0, migrate.stderr());
        assert.match(migrate.stdout(), /applied: Initial/);
        const serve = runCli(['serve'], env);
        const url = await serve.waitForCapture(/GraphQL API:\s+(http:\/\/\S+)\/graphql/);
        const res = await gql(url, env.HOOKGRAPH_ADMIN_KEY, `{ destinations { totalCount } }`);
        assert.equal(res.data.destinations.totalCount, 0);
        serve.kill('SIGTERM');
        assert.equal(await serve.exited, 0);
      } finally {
        await db.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
