/**
 * The newest version seen per delivery (DeliveryEntity.version: the row's count of
 * changes, kept by the database), so a change that arrives after a later one is dropped
 * instead of showing subscribers a status the database no longer holds. Announcements
 * can arrive out of order: two transactions commit in one order and announce in the
 * other, and with Redis, one process's announcement can overtake another's (a publish's
 * new delivery, or an operator's retry, announced after another process has already
 * claimed it). The version is the database's, not a clock's, so changes made by
 * different processes compare as well as one process's own. An equal version is the
 * same change again, or one whose version its announcer could only bound from below:
 * either way nothing new.
 *
 * Bounded by generations: changes go into the current map; when it is full it becomes
 * the previous one and the older generation is dropped whole. The last `capacity / 2`
 * changed deliveries are always remembered, at most `capacity`. (A least-recently-used
 * map re-inserts on every change: two Map operations per change on a 100,000-entry map,
 * twice per delivery.)
 */
export class LatestVersions {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private readonly generation: number;

  constructor(capacity = 100_000) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  /** Records `version` for `id` unless it is late (see above); true when it is. */
  isStale(id: string, version: number): boolean {
    const seen = this.current.get(id) ?? this.previous.get(id);
    if (seen !== undefined && version <= seen) return true;
    if (!this.current.has(id) && this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(id, version);
    return false;
  }
}
