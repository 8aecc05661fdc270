import type { App } from '../../src/main';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** The deliveries of an event type that ended SUCCEEDED and FAILED, from the database: a ledger's side. */
export async function countByStatus(app: App, type: string): Promise<{ succeeded: number; failed: number }> {
  const rows: { status: string; n: number | string }[] = await app.services.db.dataSource.query(
    `SELECT status, COUNT(*) AS n FROM deliveries WHERE event_type = ? GROUP BY status`,
    [type],
  );
  const get = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { succeeded: get('SUCCEEDED'), failed: get('FAILED') };
}
