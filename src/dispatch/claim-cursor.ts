import { SECOND } from '../domain/common/time';
import type { QueuePosition } from '../sql/claim-due';

/** While a backlog lasts, a claim still scans the queue from its start this often. */
export const FULL_SCAN_MS = 1 * SECOND;

/**
 * Where this worker's next MySQL claim starts. A claim moves each row it takes from its
 * place in the due_at index to the lease's end, and InnoDB keeps the old entry
 * (delete-marked) until purge removes it: a claim that starts from the beginning of the
 * index walks every entry claimed since the last purge, which under a backlog is most
 * of what a claim costs. So while claims come back full, the next one starts after the
 * last row taken.
 *
 * A row can become due behind that position: a publish or retry that committed late, a
 * row another worker had locked and then let go. A claim therefore starts from the
 * beginning again whenever the last one came back short (the worker has caught up), and
 * at least every FULL_SCAN_MS: such a row waits at most that long, and only under a backlog.
 */
export class ClaimCursor {
  private position: QueuePosition | null = null;
  private fullScanAt = 0;

  /** Where the next claim starts (after this position); null: from the beginning. */
  from(now: number): QueuePosition | null {
    if (this.position && now - this.fullScanAt < FULL_SCAN_MS) return this.position;
    this.position = null;
    this.fullScanAt = now;
    return null;
  }

  /** A claim took rows up to `last` (in queue order); `full`: it took all it asked for. */
  passed(last: QueuePosition | null, full: boolean): void {
    if (!full || !last) this.position = null;
    else if (!this.position || isAfter(last, this.position)) this.position = last;
  }
}

/** Ids compare byte by byte, as in MySQL's utf8mb4_bin; they are ASCII. */
function isAfter(a: QueuePosition, b: QueuePosition): boolean {
  return a.dueAt > b.dueAt || (a.dueAt === b.dueAt && a.id > b.id);
}
