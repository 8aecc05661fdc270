import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';
import { DEFAULT_TIMEOUT_MS } from '../../src/domain/destination/destination.defaults';

const fails = (env: Record<string, string>, variable: string) =>
  assert.throws(
    () => loadConfig(env),
    (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.startsWith(variable),
  );

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.profile, 'development');
    assert.deepEqual(config.database, { kind: 'sqlite', path: path.resolve('data/hookgraph.db') });
    assert.equal(config.secretKey, undefined);
    assert.deepEqual(config.retention, { days: 30, failedDays: 90 });
    assert.deepEqual(config.dispatch.breaker, { threshold: 20, openMs: 60_000, disableAfterMs: 5 * 24 * 3600 * 1000 });
    // A stop waits out a request at the default timeout: none is cut off and sent twice.
    assert.equal(config.dispatch.stopGraceMs, 20_000);
    assert.ok(config.dispatch.stopGraceMs > DEFAULT_TIMEOUT_MS);
  });

  it('reads retention in whole days, 0 keeping everything', () => {
    assert.deepEqual(loadConfig({ HOOKGRAPH_RETENTION_DAYS: '0', HOOKGRAPH_RETENTION_FAILED_DAYS: '7' }).retention, { days: 0, failedDays: 7 });
    fails({ HOOKGRAPH_RETENTION_DAYS: '1.5' }, 'HOOKGRAPH_RETENTION_DAYS');
    fails({ HOOKGRAPH_RETENTION_DAYS: '-1' }, 'HOOKGRAPH_RETENTION_DAYS');
    fails({ HOOKGRAPH_RETENTION_FAILED_DAYS: 'forever' }, 'HOOKGRAPH_RETENTION_FAILED_DAYS');
  });

  it('reads the bulk job runner: defaults, and a lease that outlasts the pause between batches', () => {
    assert.deepEqual(loadConfig({}).jobs, { batchSize: 500, batchDelayMs: 0, leaseMs: 30_000, pollIntervalMs: 2000 });
    assert.equal(loadConfig({ HOOKGRAPH_JOB_BATCH_SIZE: '1', HOOKGRAPH_JOB_BATCH_DELAY_MS: '400', HOOKGRAPH_JOB_LEASE_MS: '1500' }).jobs.batchDelayMs, 400);
    fails({ HOOKGRAPH_JOB_BATCH_SIZE: '0' }, 'HOOKGRAPH_JOB_BATCH_SIZE');
    fails({ HOOKGRAPH_JOB_BATCH_SIZE: '5001' }, 'HOOKGRAPH_JOB_BATCH_SIZE');
    fails({ HOOKGRAPH_JOB_BATCH_DELAY_MS: '1000', HOOKGRAPH_JOB_LEASE_MS: '1500' }, 'HOOKGRAPH_JOB_LEASE_MS');
    fails({ HOOKGRAPH_JOB_LEASE_MS: '100' }, 'HOOKGRAPH_JOB_LEASE_MS');
  });

  it('reads the circuit breaker, 0 disabling nothing', () => {
    assert.equal(loadConfig({ HOOKGRAPH_BREAKER_DISABLE_AFTER_MS: '0' }).dispatch.breaker.disableAfterMs, 0);
    fails({ HOOKGRAPH_BREAKER_THRESHOLD: '0' }, 'HOOKGRAPH_BREAKER_THRESHOLD');
    fails({ HOOKGRAPH_BREAKER_OPEN_MS: 'soon' }, 'HOOKGRAPH_BREAKER_OPEN_MS');
    fails({ HOOKGRAPH_BREAKER_DISABLE_AFTER_MS: '-5' }, 'HOOKGRAPH_BREAKER_DISABLE_AFTER_MS');
  });

  it('reads the GraphQL query limits', () => {
    assert.deepEqual(loadConfig({}).queryLimits, { maxTokens: 2000, maxCost: 10_000, maxResponseBytes: 16 * 1024 * 1024 });
    const set = loadConfig({ HOOKGRAPH_MAX_QUERY_TOKENS: '500', HOOKGRAPH_MAX_QUERY_COST: '300', HOOKGRAPH_MAX_RESPONSE_BYTES: '65536' });
    assert.deepEqual(set.queryLimits, { maxTokens: 500, maxCost: 300, maxResponseBytes: 65_536 });
    fails({ HOOKGRAPH_MAX_QUERY_TOKENS: '0' }, 'HOOKGRAPH_MAX_QUERY_TOKENS');
    fails({ HOOKGRAPH_MAX_QUERY_COST: 'lots' }, 'HOOKGRAPH_MAX_QUERY_COST');
    fails({ HOOKGRAPH_MAX_RESPONSE_BYTES: '1.5' }, 'HOOKGRAPH_MAX_RESPONSE_BYTES');
  });

  it('reads who may frame the portal: nobody by default, else CSP sources', () => {
    assert.deepEqual(loadConfig({}).portalFrameAncestors, []);
    assert.deepEqual(loadConfig({ HOOKGRAPH_PORTAL_FRAME_ANCESTORS: "'none'" }).portalFrameAncestors, []);
    assert.deepEqual(
      loadConfig({ HOOKGRAPH_PORTAL_FRAME_ANCESTORS: "https://app.example.com, 'self' https://*.example.org:8443 http://[::1]:3000" }).portalFrameAncestors,
      ['https://app.example.com', "'self'", 'https://*.example.org:8443', 'http://[::1]:3000'],
    );
    for (const bad of ['*', 'app.example.com', 'https://app.example.com/path', "'unsafe-inline'", 'javascript:alert(1)', 'https://a.com;script-src *']) {
      fails({ HOOKGRAPH_PORTAL_FRAME_ANCESTORS: bad }, 'HOOKGRAPH_PORTAL_FRAME_ANCESTORS');
    }
  });

  it('reads database URLs and keys', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/hg' }).database, { kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/hg' });
    assert.equal(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.db' }).database.kind, 'sqlite');
    assert.equal(loadConfig({ HOOKGRAPH_SECRET_KEY: 'ab'.repeat(32) }).secretKey?.length, 32);
    assert.equal(loadConfig({ HOOKGRAPH_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).secretKey?.length, 32);
    assert.deepEqual(loadConfig({ HOOKGRAPH_ALLOW_NETWORKS: '10.0.0.0/8, fd00::/8' }).allowNetworks, ['10.0.0.0/8', 'fd00::/8']);
  });

  it('names the bad variable', () => {
    fails({ PORT: 'abc' }, 'PORT');
    fails({ PORT: '70000' }, 'PORT');
    fails({ HOOKGRAPH_PROFILE: 'staging' }, 'HOOKGRAPH_PROFILE');
    fails({ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL');
    fails({ DATABASE_URL: 'mysql://root@127.0.0.1:3306' }, 'DATABASE_URL');
    fails({ HOOKGRAPH_SECRET_KEY: 'short' }, 'HOOKGRAPH_SECRET_KEY');
    fails({ HOOKGRAPH_PROFILE: 'production' }, 'HOOKGRAPH_SECRET_KEY');
    fails({ HOOKGRAPH_ADMIN_KEY: 'tiny' }, 'HOOKGRAPH_ADMIN_KEY');
    fails({ HOOKGRAPH_ALLOW_NETWORKS: '10.0.0.0/33' }, 'HOOKGRAPH_ALLOW_NETWORKS');
    fails({ REDIS_URL: 'http://x' }, 'REDIS_URL');
    fails({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
  });
});
