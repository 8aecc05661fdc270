import type { InactiveDestinations } from './inactive-destinations';

/** The limited destinations that are sending, as last read: the lines to claim. */
export function sendingLines(inactive: InactiveDestinations): string[] {
  return inactive.limited.filter((id) => !inactive.has(id));
}

/**
 * When this process claims from each limited destination's line (sql/claim-line.ts).
 * A line is claimed when something may have changed for it: a delivery joined it (a
 * publish here), a request to it finished here (a slot freed), a retry scheduled here
 * comes due, its bucket has a token again (the time its last claim gave), or the poll
 * found it with deliveries due or waiting (everything else: other processes' requests
 * and publishes, leases expiring).
 */
export class DestinationLines {
  /** Destination → the times its line is to be claimed at (0: at the next chance); none: at the next poll. */
  private readonly times = new Map<string, number[]>();
  /** Lines taken for the claim pass running now, until each one's claim is done (see take and done). */
  private readonly claiming = new Set<string>();

  /** Something may have changed for this line: claim it at the next chance. */
  touch(id: string): void {
    this.touchAt(id, 0);
  }

  /** Something will change for this line at `at` (a retry of its destination comes due, its bucket has a token). */
  touchAt(id: string, at: number): void {
    const times = this.times.get(id);
    // A held line is touched by every publish and finish until it is claimed: once is enough.
    if (times) {
      if (!times.includes(at)) times.push(at);
    } else {
      this.times.set(id, [at]);
    }
  }

  /** Of the limited destinations, the lines to claim now, marked as being claimed (see done); their later times stay. */
  take(limited: readonly string[], now: number): string[] {
    const due: string[] = [];
    for (const id of limited) {
      const times = this.times.get(id);
      if (this.claiming.has(id) || !times?.some((at) => at <= now)) continue;
      const later = times.filter((at) => at > now);
      if (later.length) this.times.set(id, later);
      else this.times.delete(id);
      this.claiming.add(id);
      due.push(id);
    }
    return due;
  }

  /** A claim of the line ended; `nextAt`: when its bucket has a token again (null: wait for a touch). */
  done(id: string, nextAt: number | null): void {
    this.claiming.delete(id);
    if (nextAt !== null) this.touchAt(id, nextAt);
  }

  /** Whether one of these lines is to be claimed now. */
  anyDue(ids: readonly string[], now: number): boolean {
    return ids.some((id) => !this.claiming.has(id) && (this.times.get(id)?.some((at) => at <= now) ?? false));
  }

  /** Some line was touched and not claimed since. */
  get touched(): boolean {
    return this.times.size > 0;
  }

  /** Of these lines, the earliest time after `now` one is to be claimed at, if any. */
  nextAfter(ids: readonly string[], now: number): number | null {
    let next = Infinity;
    for (const id of ids) for (const at of this.times.get(id) ?? []) if (at > now) next = Math.min(next, at);
    return Number.isFinite(next) ? next : null;
  }

  /** Only these destinations are limited now: the others' lines are gone. */
  keep(limited: readonly string[]): void {
    for (const id of this.times.keys()) if (!limited.includes(id)) this.times.delete(id);
  }
}
