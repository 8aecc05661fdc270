import { placeholders } from './delivery-row';
import type { QueueTx } from './queue-transaction';

/** How far a held delivery's due time moves each time a claim meets it. */
export const HOLD_MS = 30_000;

/**
 * Deliveries of a PAUSED or DISABLED destination wait: nothing is dropped and nothing is
 * sent. Their due time moves forward by HOLD_MS so the claim's index range stays clear
 * of them; re-activating the destination makes them due at once
 * (DestinationService.update). Returns the held destination ids for the claim to skip.
 */
export async function holdInactive(tx: QueueTx, now: number): Promise<string[]> {
  const inactive = await tx.rows<{ id: string }>(
    `SELECT id FROM destinations WHERE status <> 'ACTIVE' AND deleted_at IS NULL`,
  );
  if (!inactive.length) return [];
  const ids = inactive.map((row) => row.id);
  await tx.run(
    `UPDATE deliveries SET due_at = ? WHERE due_at <= ? AND destination_id IN (${placeholders(ids.length)})`,
    [now + HOLD_MS, now, ...ids],
  );
  return ids;
}
