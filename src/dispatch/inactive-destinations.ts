import { readDestinationStates, type DestinationsToSkip } from '../sql/hold-inactive';
import type { QueueTx } from '../sql/queue-transaction';

/**
 * The destinations that are not sending, as last read: not ACTIVE, or held by their
 * open circuit breaker. Read again when older than `ttlMs` (changes made by other
 * processes arrive within it) or when this process changed one (`invalidate`). Claims
 * then skip a statement each. Also read: the destinations whose breaker lets probes
 * through (its hold is over, the streak still past the threshold), which the dispatcher
 * sends to one at a time, and those with a rate limit or max concurrency, whose
 * deliveries only the claim of their line takes (sql/claim-line.ts).
 */
export class InactiveDestinations implements DestinationsToSkip {
  private ids: string[] = [];
  private probes: string[] = [];
  private limitedIds: string[] = [];
  /** Held by an open breaker, as last read (for onBreaker). */
  private breakerIds = new Set<string>();
  /** Found down since the last read: the breaker may have opened (see doubt). */
  private readonly doubts = new Set<string>();
  private readAt = -Infinity;
  /** Counts the reads: what was decided on one list can wait for the next. */
  generation = 0;

  private readonly ttlMs: number;
  /** The breaker's threshold (a streak past it means probing); none: no breaker. */
  private readonly threshold: number;

  /** Told which breakers this process saw open and close since its last read (for the log). */
  private readonly onBreaker: (opened: string[], closed: string[]) => void;

  constructor(options: { ttlMs?: number; threshold?: number; onBreaker?: (opened: string[], closed: string[]) => void } = {}) {
    this.ttlMs = options.ttlMs ?? 1000;
    this.threshold = options.threshold ?? Infinity;
    this.onBreaker = options.onBreaker ?? (() => undefined);
  }

  invalidate(): void {
    this.readAt = -Infinity;
  }

  /** As last read, without reading: whether this destination was found inactive. */
  has(id: string): boolean {
    return this.ids.includes(id);
  }

  /** As last read: whether this destination is being probed by its breaker. */
  probing(id: string): boolean {
    return this.probes.includes(id);
  }

  /** Attempts found these destinations down: until the next read, their breakers may be open. */
  doubt(ids: readonly string[]): void {
    for (const id of ids) this.doubts.add(id);
    this.invalidate();
  }

  /** Known to be sending as last read, without limits, with nothing heard since that says otherwise. */
  clear(id: string): boolean {
    return !this.ids.includes(id) && !this.probes.includes(id) && !this.doubts.has(id) && !this.limitedIds.includes(id);
  }

  /** Older than its ttl, or invalidated: the next `current` reads it again. */
  stale(now: number): boolean {
    return now - this.readAt >= this.ttlMs;
  }

  async current(tx: QueueTx, now: number): Promise<string[]> {
    if (this.stale(now)) {
      const threshold = Number.isFinite(this.threshold) ? this.threshold : 2 ** 31 - 1;
      const rows = await readDestinationStates(tx, now, threshold);
      this.ids = rows.filter((row) => Number(row.held) === 1).map((row) => row.id);
      this.probes = rows.filter((row) => Number(row.held) === 0 && Number(row.probing) === 1).map((row) => row.id);
      this.limitedIds = rows.filter((row) => Number(row.limited) === 1).map((row) => row.id);
      const breakers = new Set(rows.filter((row) => Number(row.breaker) === 1).map((row) => row.id));
      const opened = [...breakers].filter((id) => !this.breakerIds.has(id));
      const closed = [...this.breakerIds].filter((id) => !breakers.has(id));
      this.breakerIds = breakers;
      if (opened.length || closed.length) this.onBreaker(opened, closed);
      this.doubts.clear();
      this.readAt = now;
      this.generation += 1;
    }
    return this.ids;
  }

  /** As last read: the destinations with a rate limit or max concurrency, whose deliveries wait in their line (sql/claim-line.ts). */
  get limited(): readonly string[] {
    return this.limitedIds;
  }
}
