import type { EntityManager } from 'typeorm';
import type { Database } from '../../database/database';
import { BulkJobEntity, type BulkJobStatus } from './bulk-job.entity';

/** A job a runner may take: queued, or running under a lease that expired (its runner died). */
const CLAIMABLE = `(status = 'QUEUED' OR (status = 'RUNNING' AND lease_expires_at < :now))`;

/**
 * Takes the oldest claimable job for `owner` until `now + leaseMs`, or returns null. The
 * UPDATE repeats the condition, so of two runners that saw the same job only one gets it.
 */
export function claimJob(db: Database, owner: string, now: number, leaseMs: number): Promise<BulkJobEntity | null> {
  // In a transaction: on SQLite that is what takes turns on its one connection.
  return db.transaction(async (manager) => {
    const candidate = await manager.createQueryBuilder(BulkJobEntity, 'j').where(CLAIMABLE, { now }).orderBy('j.id', 'ASC').getOne();
    if (!candidate) return null;
    const values = { status: 'RUNNING' as const, leaseOwner: owner, leaseExpiresAt: new Date(now + leaseMs), updatedAt: new Date(now) };
    const result = await manager.createQueryBuilder().update(BulkJobEntity).set(values).where(`id = :id AND ${CLAIMABLE}`, { id: candidate.id, now }).execute();
    return result.affected ? Object.assign(candidate, values) : null;
  });
}

/**
 * Extends the lease of a job `owner` runs; false when it no longer does (cancelled, or
 * its lease expired and another runner took it). The first statement of every batch's
 * transaction: on MySQL its row lock makes a concurrent cancel wait for the batch.
 */
export async function holdJob(manager: EntityManager, id: string, owner: string, until: Date): Promise<boolean> {
  const result = await manager.update(BulkJobEntity, { id, leaseOwner: owner, status: 'RUNNING' }, { leaseExpiresAt: until });
  return Boolean(result.affected);
}

/** Records a batch's progress on a job `owner` holds (in the batch's transaction). */
export async function advanceJob(
  manager: EntityManager,
  id: string,
  owner: string,
  values: Pick<BulkJobEntity, 'done' | 'cursor' | 'updatedAt'>,
): Promise<void> {
  await manager.update(BulkJobEntity, { id, leaseOwner: owner, status: 'RUNNING' }, values);
}

/** Ends a job `owner` holds, or gives it back to the queue (QUEUED); false when it no longer held it. */
export async function settleJob(
  manager: EntityManager,
  id: string,
  owner: string,
  values: { status: BulkJobStatus; error?: string | null; updatedAt: Date },
): Promise<boolean> {
  const result = await manager.update(BulkJobEntity, { id, leaseOwner: owner, status: 'RUNNING' }, { ...values, leaseOwner: null, leaseExpiresAt: null });
  return Boolean(result.affected);
}
