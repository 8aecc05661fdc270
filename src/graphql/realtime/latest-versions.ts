interface Seen {
  origin: string;
  version: number;
}

/** One announced change of a delivery, as LatestVersions weighs it. */
export interface DeliveryChange {
  /** The announcing process: `version`s are compared only within one clock. */
  origin: string;
  /** The delivery's `updatedAt`, epoch ms. */
  version: number;
  /** Whether this is the change that inserted the delivery (the publish that created it). */
  created: boolean;
}

/**
 * The newest `updatedAt` seen per delivery, so a change that arrives after a newer one
 * is dropped instead of showing subscribers a status the database no longer holds.
 * Within one process, the version decides (two transactions committed in one order,
 * announced in the other). Versions from different processes are not compared (their
 * clocks differ), and Redis orders their announcements, not their commits: a publish on
 * one process announces its new delivery after the commit, by which time another
 * process's dispatcher may have claimed it and announced IN_FLIGHT. One order holds
 * across processes all the same: a delivery is created before any other change to it,
 * so its creation arriving after anything else of it is late, whichever process sent
 * either. Later changes from another process (a manual retry, a resend) still go out:
 * nothing orders them against this process's without a shared clock.
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

  /** Records `change` for `id` unless it is late (see above); true when it is. */
  isStale(id: string, { origin, version, created }: DeliveryChange): boolean {
    const inCurrent = this.current.get(id);
    const seen = inCurrent ?? this.previous.get(id);
    if (seen !== undefined && (created || (seen.origin === origin && version < seen.version))) return true;
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
