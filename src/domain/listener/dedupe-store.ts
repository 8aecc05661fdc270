import { createHash } from 'node:crypto';
import { LessThan } from 'typeorm';
import type { Database } from '../../database/database';
import { MINUTE } from '../common/time';
import { DEDUPE_WINDOW_MS } from './dedupe-key';
import { ListenerDedupeEntity } from './listener-dedupe.entity';

/** The answer a listener gave a request, to give again to its repeats. */
export interface StoredAnswer {
  statusCode: number;
  contentType: string | null;
  body: string | null;
  eventIds: string[];
}

export type Claim = { kind: 'new' } | { kind: 'repeat'; answer: StoredAnswer } | { kind: 'in-progress' };

/** A claim not completed for this long was left by a process that stopped: the next request takes it over. */
const ABANDONED_CLAIM_MS = MINUTE;
/** Expired keys of a listener are removed when it sees a new key, at most this often. */
const SWEEP_INTERVAL_MS = MINUTE;

/**
 * The keys each listener has seen in the last 24 hours. A request claims its key before
 * publishing (so two copies arriving together make one event), then stores its answer.
 */
export class DedupeStore {
  private readonly sweptAt = new Map<string, number>();

  constructor(private readonly db: Database) {}

  async claim(listenerId: string, key: string, now: number): Promise<Claim> {
    const keyHash = hashKey(key);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.db.manager.insert(ListenerDedupeEntity, {
          listenerId,
          keyHash,
          statusCode: 0,
          contentType: null,
          body: null,
          eventIds: [],
          createdAt: new Date(now),
        });
        await this.sweep(listenerId, now);
        return { kind: 'new' };
      } catch (error) {
        const seen = await this.db.manager.findOneBy(ListenerDedupeEntity, { listenerId, keyHash });
        if (!seen) throw error;
        const age = now - seen.createdAt.getTime();
        const expired = age > DEDUPE_WINDOW_MS || (seen.statusCode === 0 && age > ABANDONED_CLAIM_MS);
        if (!expired) return seen.statusCode === 0 ? { kind: 'in-progress' } : { kind: 'repeat', answer: seen };
        await this.db.manager.delete(ListenerDedupeEntity, { listenerId, keyHash, createdAt: seen.createdAt });
      }
    }
    return { kind: 'in-progress' };
  }

  async complete(listenerId: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.db.manager.update(ListenerDedupeEntity, { listenerId, keyHash: hashKey(key) }, answer);
  }

  /** The request failed before it made its events: a repeat is handled as new. */
  async release(listenerId: string, key: string): Promise<void> {
    await this.db.manager.delete(ListenerDedupeEntity, { listenerId, keyHash: hashKey(key), statusCode: 0 });
  }

  private async sweep(listenerId: string, now: number): Promise<void> {
    if ((this.sweptAt.get(listenerId) ?? 0) + SWEEP_INTERVAL_MS > now) return;
    this.sweptAt.set(listenerId, now);
    if (this.sweptAt.size > 10_000) this.sweptAt.clear();
    await this.db.manager.delete(ListenerDedupeEntity, { listenerId, createdAt: LessThan(new Date(now - DEDUPE_WINDOW_MS)) });
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
