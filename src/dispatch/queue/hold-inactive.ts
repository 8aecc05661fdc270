import type { EntityManager } from 'typeorm';
import { placeholders } from './delivery-row';

/** How far a held delivery's due time moves each time a claim meets it. */
export const HOLD_MS = 30_000;

/**
 * Deliveries of a PAUSED or DISABLED destination wait: nothing is dropped and nothing is
 * sent. Their due time moves forward by HOLD_MS so the claim's index range stays clear
 * of them; re-activating the destination makes them due at once
 * (DestinationService.update). Returns the held destination ids for the claim to skip.
 */
export async function holdInactive(tx: EntityManager, now: number): Promise<string[]> {
  const inactive: { id: string }[] = await tx.query(
    `SELECT id FROM destinations WHERE status <> 'ACTIVE' AND deleted_at IS NULL`,
  );
  if (!inactive.length) return [];
  const ids = inactive.map((row) => row.id);
  await tx.query(
    `UPDATE deliveries SET due_at = ? WHERE due_at <= ? AND destination_id IN (${placeholders(ids.length)})`,
    [now + HOLD_MS, now, ...ids],
  );
  return ids;
}
