import type { Database } from '../../database/database';
import type { SecretBox } from '../secrets/secret-box';
import { rehint } from '../secrets/rehint';
import type { CustomHmac, Header, SealedHeader } from './destination.entity';
import { sealHeader } from './sealed-header';

interface StoredDestination {
  id: string;
  headers: string;
  auth_secret_sealed: string | null;
  auth_secret_hint: string | null;
  custom_hmac: string | null;
  updated_at: number;
}

/**
 * Destinations stored by earlier versions, brought to today's rules: custom header values
 * sealed (they were kept in clear) and hints of secrets showing no more than a quarter of
 * them. Run at start, not as a migration: it needs the master key, which `hookgraph
 * migrate` and the TypeORM CLI do not have. Rows already right are left alone; a row
 * saved meanwhile (`updated_at` moved on) was saved by today's rules and is skipped.
 * Returns how many rows it rewrote.
 */
export async function upgradeDestinationSecrets(db: Database, box: SecretBox): Promise<number> {
  const rows = (await db.manager.query(
    `SELECT id, headers, auth_secret_sealed, auth_secret_hint, custom_hmac, updated_at FROM destinations`,
  )) as StoredDestination[];
  let rewritten = 0;
  for (const row of rows) {
    const stored = JSON.parse(row.headers) as (Header | SealedHeader)[];
    const headers = JSON.stringify(stored.map((h) => ('valueSealed' in h ? h : sealHeader(h, box))));
    const authHint = row.auth_secret_sealed ? rehint(box, row.auth_secret_sealed, row.auth_secret_hint) : row.auth_secret_hint;
    const hmac = row.custom_hmac ? (JSON.parse(row.custom_hmac) as CustomHmac) : null;
    const customHmac = hmac?.secretSealed ? JSON.stringify({ ...hmac, secretHint: rehint(box, hmac.secretSealed, hmac.secretHint) }) : row.custom_hmac;
    if (headers === row.headers && authHint === row.auth_secret_hint && customHmac === row.custom_hmac) continue;
    await db.manager.query(`UPDATE destinations SET headers = ?, auth_secret_hint = ?, custom_hmac = ? WHERE id = ? AND updated_at = ?`, [
      headers,
      authHint,
      customHmac,
      row.id,
      row.updated_at,
    ]);
    rewritten += 1;
  }
  return rewritten;
}
