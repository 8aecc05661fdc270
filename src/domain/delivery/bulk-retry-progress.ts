/** Where a bulk retry job stands (see bulk-retry.service.ts); plain JSON, it crosses processes. */
export interface BulkRetryProgress {
  id: string;
  /** The tenant whose deliveries it retries; null: any tenant's (a key of the whole installation). */
  tenantId: string | null;
  /** Deliveries that matched when the job started. */
  total: number;
  /** Re-queued so far (one that changed state meanwhile, say retried alone, is skipped). */
  requeued: number;
  finished: boolean;
  /** Why the job stopped early; what it re-queued stays queued. */
  error: string | null;
}
