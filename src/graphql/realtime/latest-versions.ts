/**
 * The newest `updatedAt` seen per delivery, so a change that arrives after a newer one
 * (two transactions committed in one order, announced in the other, or two processes
 * racing through Redis) is dropped instead of showing subscribers a status the database
 * no longer holds. Bounded: the least recently changed entries are forgotten first.
 */
export class LatestVersions {
  private readonly versions = new Map<string, number>();

  constructor(private readonly capacity = 100_000) {}

  /** Records `version` for `id` unless an older one than already seen; true when stale. */
  isStale(id: string, version: number): boolean {
    const seen = this.versions.get(id);
    if (seen !== undefined && version < seen) return true;
    // Re-insert so the Map's order is "least recently changed first".
    this.versions.delete(id);
    this.versions.set(id, version);
    if (this.versions.size > this.capacity) this.versions.delete(this.versions.keys().next().value!);
    return false;
  }
}
