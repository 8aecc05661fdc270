import { Webhook } from 'standardwebhooks';
import type { ReceiverStats } from './ledger-receiver';
import type { Ledger } from './report';

/** What a system's own books say about one drain's jobs. */
export interface Settled {
  delivered: number;
  failed: number;
}

/**
 * One drain's ledger from both ends: the system's books (`settled`) and the receiver's
 * counts and sample, each sampled request's Standard Webhooks signature verified with
 * the secret the system signed with.
 */
export function drainLedger(name: string, published: number, settled: Settled, receiver: ReceiverStats, secret: string): Ledger {
  const webhook = new Webhook(secret);
  const badSignatures = receiver.sample.filter((r) => {
    try {
      webhook.verify(r.body, { ...r.headers });
      return false;
    } catch {
      return true;
    }
  }).length;
  return {
    name,
    published,
    delivered: settled.delivered,
    failed: settled.failed,
    duplicates: receiver.requests - receiver.distinct,
    received: receiver.distinct,
    badSignatures,
    sampled: receiver.sample.length,
  };
}
