interface Seen {
  origin: string;
  version: number;
}

/**
 * The newest `updatedAt` seen per delivery, so a change that arrives after a newer one
 * from the same process (two transactions committed in one order, announced in the
 * other) is dropped instead of showing subscribers a status the database no longer
 * holds. Versions from different processes are not compared (their clocks differ):
 * between processes, Redis's order is the order.
 *
 * Bounded by generations: changes go into the current map; when it is full it becomes
 * the previous one and the older generation is dropped whole. The last `capacity / 2`
 * changed deliveries are always remembered, at most `capacity`. (A least-recently-used
 * map re-inserts on every change: two Map operations per change on a 100,000-entry map,
 * twice per delivery.)
 */
export class LatestVersions {
  private current = new Map<string, Seen>();
  private previous = new Map<string, Seen>();
  private readonly generation: number;

  constructor(capacity = 100_000) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  /** Records `version` for `id` unless it is older than one already seen from `origin`; true when stale. */
  isStale(id: string, origin: string, version: number): boolean {
    const inCurrent = this.current.get(id);
    const seen = inCurrent ?? this.previous.get(id);
    if (seen !== undefined && seen.origin === origin && version < seen.version) return true;
    if (inCurrent) {
      inCurrent.origin = origin;
      inCurrent.version = version;
      return false;
    }
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(id, { origin, version });
    return false;
  }
}
