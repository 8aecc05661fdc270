import type { App } from '../../src/main';

/** `n` due deliveries for a webhook on `type`: batches of 1,000 rows, one event (and delivery) each. */
export async function publishRows(app: App, type: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ id: `r${i + j}`, n: i + j, name: 'row' }));
    await app.services.events.publishBatch({ type, syncMode: 'UPSERT', rows });
  }
}
