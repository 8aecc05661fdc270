/**
 * The newest `updatedAt` seen per delivery, so a change that arrives after a newer one
 * from the same process (two transactions committed in one order, announced in the
 * other) is dropped instead of showing subscribers a status the database no longer
 * holds. Versions from different processes are not compared (their clocks differ):
 * between processes, Redis's order is the order. Bounded: the least recently changed
 * entries are forgotten first.
 */
export class LatestVersions {
  private readonly versions = new Map<string, { origin: string; version: number }>();

  constructor(private readonly capacity = 100_000) {}

  /** Records `version` for `id` unless it is older than one already seen from `origin`; true when stale. */
  isStale(id: string, origin: string, version: number): boolean {
    const seen = this.versions.get(id);
    if (seen !== undefined && seen.origin === origin && version < seen.version) return true;
    // Re-insert so the Map's order is "least recently changed first".
    this.versions.delete(id);
    this.versions.set(id, { origin, version });
    if (this.versions.size > this.capacity) this.versions.delete(this.versions.keys().next().value!);
    return false;
  }
}
