import type { DeliveryStatus } from '../domain/delivery/delivery.entity';
import { placeholders } from './delivery-row';
import type { QueueTx, Statement } from './queue-transaction';

export interface Completion {
  id: string;
  status: Extract<DeliveryStatus, 'SUCCEEDED' | 'RETRY_SCHEDULED' | 'FAILED' | 'CANCELLED'>;
  attemptCount: number;
  dueAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

/**
 * Writes the state deliveries reached after their attempts and returns the ids it
 * wrote. Only deliveries this worker still holds (IN_FLIGHT under its lease) change: a
 * delivery cancelled meanwhile stays CANCELLED, one whose lease expired and was taken by
 * another worker is left to it. Deliveries with identical values (a burst of 200s on
 * first attempts) share one UPDATE; when it touched fewer rows than asked, findCompleted
 * tells which.
 *
 * With `commit`, the transaction ends with the UPDATEs, in their round trip (MySQL).
 * findCompleted then reads after the commit; it can only miss a row that someone else
 * changed in between, and a row changed by someone else is theirs to announce.
 */
export async function completeDeliveries(
  tx: QueueTx,
  workerId: string,
  completions: Completion[],
  now: Date,
  /** Statements to send along with the UPDATEs, ahead of them (the batch's attempts). */
  before: Statement[] = [],
  options: { commit?: boolean } = {},
): Promise<Set<string>> {
  const at = now.getTime();
  const updates = groupCompletions(completions).map(({ c, ids }) => ({
    ids,
    status: c.status,
    sql: `UPDATE deliveries SET status = ?, attempt_count = ?, due_at = ?, lease_owner = NULL,
            last_status_code = ?, last_error = ?, updated_at = ?, completed_at = ?, version = version + 1
          WHERE id IN (${placeholders(ids.length)}) AND status = 'IN_FLIGHT' AND lease_owner = ?`,
    params: [
      c.status,
      c.attemptCount,
      c.dueAt?.getTime() ?? null,
      c.lastStatusCode,
      c.lastError,
      at,
      c.status !== 'RETRY_SCHEDULED' ? at : null,
      ...ids,
      workerId,
    ],
  }));
  const results = await tx.send([...before, ...updates], options);
  const written = new Set<string>();
  for (const [i, { ids, status }] of updates.entries()) {
    const affected = results[before.length + i] as number;
    if (affected === ids.length) for (const id of ids) written.add(id);
    else if (affected > 0) for (const id of await findCompleted(tx, ids, status, at)) written.add(id);
  }
  return written;
}

/**
 * Of a batch that completeDeliveries may already have committed at `now` (its reply was
 * lost), the deliveries it wrote: those that still hold exactly what it wrote.
 */
export async function findCompletedBatch(tx: QueueTx, completions: Completion[], now: Date): Promise<Set<string>> {
  const written = new Set<string>();
  for (const { c, ids } of groupCompletions(completions)) {
    for (const id of await findCompleted(tx, ids, c.status, now.getTime())) written.add(id);
  }
  return written;
}

/** Completions with identical values, together: each group is one UPDATE. */
function groupCompletions(completions: Completion[]): { c: Completion; ids: string[] }[] {
  const groups = new Map<string, { c: Completion; ids: string[] }>();
  for (const c of completions) {
    const key = JSON.stringify([c.status, c.attemptCount, c.dueAt?.getTime() ?? null, c.lastStatusCode, c.lastError]);
    const group = groups.get(key);
    if (group) group.ids.push(c.id);
    else groups.set(key, { c, ids: [c.id] });
  }
  return [...groups.values()];
}

/** Which of `ids` the completion UPDATE of this transaction just wrote (same status, same updated_at, lease gone). */
export async function findCompleted(tx: QueueTx, ids: string[], status: string, updatedAt: number): Promise<string[]> {
  const rows = await tx.rows<{ id: string }>(
    `SELECT id FROM deliveries WHERE id IN (${placeholders(ids.length)}) AND status = ? AND updated_at = ? AND lease_owner IS NULL`,
    [...ids, status, updatedAt],
  );
  return rows.map((r) => r.id);
}
