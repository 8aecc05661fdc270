import type { Database } from '../../database/database';
import type { SecretBox } from '../secrets/secret-box';
import { rehint } from '../secrets/rehint';
import type { Verification } from './listener.entity';

/**
 * Listeners stored by earlier versions, brought to today's rules: hints of their secrets
 * showing no more than a quarter of them. At start, as upgradeDestinationSecrets and for
 * the same reason (it opens secrets); a row saved meanwhile is skipped. Returns how many
 * rows it rewrote.
 */
export async function upgradeListenerSecrets(db: Database, box: SecretBox): Promise<number> {
  const rows = (await db.manager.query(`SELECT id, verification, updated_at FROM listeners`)) as { id: string; verification: string; updated_at: number }[];
  let rewritten = 0;
  for (const row of rows) {
    const stored = JSON.parse(row.verification) as Verification;
    if (!stored.secretSealed) continue;
    const secretHint = rehint(box, stored.secretSealed, stored.secretHint);
    if (secretHint === stored.secretHint) continue;
    await db.manager.query(`UPDATE listeners SET verification = ? WHERE id = ? AND updated_at = ?`, [
      JSON.stringify({ ...stored, secretHint }),
      row.id,
      row.updated_at,
    ]);
    rewritten += 1;
  }
  return rewritten;
}
