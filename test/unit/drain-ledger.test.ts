import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { drainLedger } from '../../bench/support/drain-ledger';
import type { ReceivedRequest } from '../../bench/support/ledger-receiver';
import { newPeerSecret } from '../../bench/support/peers/peer-secret';
import { ledgerProblem } from '../../bench/support/report';

const secret = newPeerSecret();

function signed(id: string, body: string, key = secret): ReceivedRequest {
  const at = new Date();
  return {
    headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(key).sign(id, at, body) },
    body,
  };
}

const sample = [signed('a', '{"n":1}'), signed('b', '{"n":2}')];

describe('a peer drain ledger', () => {
  it('balances when every delivery reached the receiver once and the sample verifies', () => {
    const ledger = drainLedger('P8 x', 10, { delivered: 10, failed: 0 }, { requests: 10, distinct: 10, sample }, secret);
    assert.deepEqual(
      { ...ledger, name: undefined },
      { name: undefined, published: 10, delivered: 10, failed: 0, duplicates: 0, received: 10, badSignatures: 0, sampled: 2 },
    );
    assert.equal(ledgerProblem(ledger), null);
  });

  it('counts duplicates without failing on them', () => {
    const ledger = drainLedger('P8 x', 10, { delivered: 10, failed: 0 }, { requests: 12, distinct: 10, sample }, secret);
    assert.equal(ledger.duplicates, 2);
    assert.equal(ledgerProblem(ledger), null);
  });

  it('fails when a sampled body was changed or signed with another secret', () => {
    const tampered = { ...sample[0]!, body: '{"n":9}' };
    const foreign = signed('c', '{"n":3}', newPeerSecret());
    const ledger = drainLedger('P8 x', 10, { delivered: 10, failed: 0 }, { requests: 10, distinct: 10, sample: [tampered, foreign, sample[1]!] }, secret);
    assert.equal(ledger.badSignatures, 2);
    assert.match(ledgerProblem(ledger) ?? '', /P8 x: .* badSignatures=2\/3/);
  });

  it('fails when the books say delivered but the receiver saw fewer ids', () => {
    const ledger = drainLedger('P8 x', 10, { delivered: 10, failed: 0 }, { requests: 9, distinct: 9, sample }, secret);
    assert.match(ledgerProblem(ledger) ?? '', /received=9/);
  });

  it('fails when the books do not balance', () => {
    const ledger = drainLedger('P8 x', 10, { delivered: 8, failed: 1 }, { requests: 8, distinct: 8, sample }, secret);
    assert.match(ledgerProblem(ledger) ?? '', /published=10 delivered=8 failed=1/);
  });

  it('fails when nothing was sampled from a drain that reached the receiver', () => {
    const ledger = drainLedger('P8 x', 10, { delivered: 10, failed: 0 }, { requests: 10, distinct: 10, sample: [] }, secret);
    assert.match(ledgerProblem(ledger) ?? '', /badSignatures=0\/0/);
  });
});
