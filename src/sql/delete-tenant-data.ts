import { placeholders } from './delivery-row';
import { STATS_TABLES } from './stats-columns';
import type { QueueTx } from './queue-transaction';

/**
 * What a tenant owns, in the order its deletion removes it: first its keys and what makes
 * new work (listeners take requests, webhooks route events), then the work and its
 * records, the endpoints last. Attempts go with their deliveries, captured requests with
 * their listeners, attempt statistics with their destinations.
 */
const OWNED = ['api_keys', 'listeners', 'webhooks', 'sync_runs', 'deliveries', 'events', 'destinations'] as const;
export type TenantTable = (typeof OWNED)[number];

/** The rows a deleted tenant still has, by table. */
export type TenantRows = Record<TenantTable, number>;

/**
 * Deletes up to `limit` rows a tenant owns, from the first of its tables that has any,
 * with the rows that hang off them; returns how many (0: the tenant owns nothing more).
 * Each call is one short transaction.
 */
export async function deleteTenantRows(tx: QueueTx, tenantId: string, limit: number): Promise<number> {
  for (const table of OWNED) {
    const ids = (await tx.rows<{ id: string }>(`SELECT id FROM ${table} WHERE tenant_id = ? LIMIT ?`, [tenantId, limit])).map((r) => r.id);
    if (!ids.length) continue;
    const list = placeholders(ids.length);
    if (table === 'deliveries') await tx.run(`DELETE FROM delivery_attempts WHERE delivery_id IN (${list})`, ids);
    if (table === 'listeners') {
      await tx.run(`DELETE FROM listener_requests WHERE listener_id IN (${list})`, ids);
      await tx.run(`DELETE FROM listener_dedupe WHERE listener_id IN (${list})`, ids);
    }
    if (table === 'destinations') for (const stats of STATS_TABLES) await tx.run(`DELETE FROM ${stats} WHERE destination_id IN (${list})`, ids);
    await tx.run(`DELETE FROM ${table} WHERE id IN (${list})`, ids);
    return ids.length;
  }
  return 0;
}

/** How many rows of each table a tenant owns (through the tables' (tenant_id, id) indexes). */
export async function countTenantRows(tx: QueueTx, tenantId: string): Promise<TenantRows> {
  const counts = {} as TenantRows;
  for (const table of OWNED) {
    const [row] = await tx.rows<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [tenantId]);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** The tenant row itself, once it owns nothing, with the record of its bulk jobs (a job on deleted objects has nothing left to do). */
export async function deleteTenant(tx: QueueTx, tenantId: string): Promise<void> {
  await tx.run(`DELETE FROM bulk_jobs WHERE tenant_id = ? AND EXISTS (SELECT 1 FROM tenants WHERE id = ? AND status = 'DELETING')`, [tenantId, tenantId]);
  await tx.run(`DELETE FROM tenants WHERE id = ? AND status = 'DELETING'`, [tenantId]);
}
