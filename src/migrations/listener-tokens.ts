import type { QueryRunner } from 'typeorm';
import { hashListenerToken, newListenerToken } from '../domain/listener/listener-token';
import { secretHint } from '../domain/secrets/secret-box';

/**
 * Listener URL tokens as hashes (the data half of ListenerTokenHash1764600000000, the same
 * on both databases): fills `token_hash` and `url_token` from `token`, row by row, with
 * the hash the service looks requests up by. A secret URL's token is kept only as its
 * hint; other listeners' tokens are no secret and stay shown.
 */
export async function hashListenerTokens(q: QueryRunner): Promise<void> {
  const rows = (await q.query(`SELECT id, token, verification FROM listeners`)) as { id: string; token: string; verification: string }[];
  for (const { id, token, verification } of rows) {
    const secretUrl = (JSON.parse(verification) as { type: string }).type === 'SECRET_URL';
    await q.query(`UPDATE listeners SET token_hash = ?, url_token = ? WHERE id = ?`, [hashListenerToken(token), secretUrl ? secretHint(token) : token, id]);
  }
}

/**
 * Back to tokens in clear: a listener whose URL showed its token gets it back; one whose
 * token is known only by its hash gets a new one (its URL stops answering, as after
 * choosing SECRET_URL again).
 */
export async function restoreListenerTokens(q: QueryRunner): Promise<void> {
  const rows = (await q.query(`SELECT id, url_token FROM listeners`)) as { id: string; url_token: string }[];
  for (const { id, url_token: shown } of rows) {
    await q.query(`UPDATE listeners SET token = ? WHERE id = ?`, [shown.startsWith('…') ? newListenerToken() : shown, id]);
  }
}
