import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { LedgerReceiver } from '../../bench/support/ledger-receiver';
import { BullmqPeer } from '../../bench/support/peers/bullmq-peer';
import { drainOnce } from '../../bench/support/peers/drain-once';
import type { DrainSystem } from '../../bench/support/peers/drain-system';
import { GraphilePeer } from '../../bench/support/peers/graphile-peer';
import { HookgraphSystem } from '../../bench/support/peers/hookgraph-system';
import { UndiciPeer } from '../../bench/support/peers/undici-peer';
import { postgresBinDir, POSTGRES_SKIP_MESSAGE } from '../../bench/support/postgres-cluster';
import { ledgerProblem } from '../../bench/support/report';
import { databaseKinds } from '../support/databases';
import { IN_CI } from '../support/redis';

/**
 * The peer benchmark's (P8) drains on a tiny backlog: each system delivers every job
 * once, signed so that the sampled signatures verify, and its books balance; twice in a
 * row, as the bench's rounds run. PostgreSQL is optional (skipped with a message).
 */
const N = 40;
const CONCURRENCY = 8;

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a process still runs. A zombie has ended: pg_ctl leaves PostgreSQL to init, and
 * a container's init may never reap it.
 */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const REDIS_SKIP = IN_CI || hasRedisServer() ? false : 'no redis-server binary: BullMQ drain skipped';

describe('bench P8: peer drains', () => {
  let receiver: LedgerReceiver;
  before(async () => {
    receiver = await LedgerReceiver.start();
  });
  after(async () => {
    await receiver.stop();
  });

  /** `ownServers`: the system started its servers itself, and closing it must end them. */
  async function drainsTwice(start: () => Promise<DrainSystem>, ownServers = false): Promise<void> {
    const system = await start();
    const servers = system.serverPids();
    try {
      for (const round of [1, 2]) {
        const result = await drainOnce(system, receiver, N, `${system.name} ${round}`);
        assert.equal(ledgerProblem(result.ledger), null, `round ${round}`);
        assert.equal(result.ledger.received, N);
        assert.equal(result.ledger.duplicates, 0);
        assert.ok(result.ledger.sampled! > 0, 'some requests had their signature verified');
        assert.ok(result.rate > 0 && Number.isFinite(result.rate));
        assert.ok(result.cpuPerDeliveryUs >= 0);
      }
    } finally {
      await system.close();
    }
    if (ownServers) {
      assert.ok(servers.length > 0);
      for (const pid of servers) assert.equal(alive(pid), false, `server ${pid} ended with the system`);
    }
  }

  it('the raw undici loop', () => drainsTwice(async () => new UndiciPeer(receiver.url, CONCURRENCY)));

  it('BullMQ on a redis-server of its own', { skip: REDIS_SKIP }, () => drainsTwice(() => BullmqPeer.start(receiver.url, CONCURRENCY), true));

  const postgres = postgresBinDir();
  it('graphile-worker on a PostgreSQL cluster of its own', { skip: postgres ? false : POSTGRES_SKIP_MESSAGE }, () =>
    drainsTwice(() => GraphilePeer.start(postgres!, receiver.url, CONCURRENCY), true),
  );

  for (const kind of databaseKinds()) {
    it(`hookgraph on ${kind}`, () => drainsTwice(() => HookgraphSystem.start(kind, undefined, receiver.url, CONCURRENCY)));
  }
});
