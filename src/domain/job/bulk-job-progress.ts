import type { BulkJobEntity, BulkJobKind, BulkJobStatus } from './bulk-job.entity';

/** Where a bulk job stands, as its progress announcements carry it; plain JSON, it crosses processes. */
export interface BulkJobProgress {
  id: string;
  tenantId: string | null;
  kind: BulkJobKind;
  status: BulkJobStatus;
  total: number;
  done: number;
  error: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

export function progressOf(job: BulkJobEntity): BulkJobProgress {
  const { id, tenantId, kind, status, total, done, error } = job;
  return { id, tenantId, kind, status, total, done, error, createdAt: job.createdAt.getTime(), updatedAt: job.updatedAt.getTime() };
}
