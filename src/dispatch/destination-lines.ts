/**
 * When this process claims from each limited destination's line (queue/claim-limited.ts).
 * A line is claimed when something may have changed for it: a delivery joined it (a
 * publish here), a request to it finished here (a slot freed), its bucket has a token
 * again (the time its last claim gave), or the poll came (everything else: other
 * processes' requests and publishes, retries coming due, leases expiring).
 */
export class DestinationLines {
  /** Destination → when its line is to be claimed next; absent: at the next poll or touch. */
  private readonly at = new Map<string, number>();
  /** Lines being claimed by this process now (two claim loops must not both claim one). */
  private readonly claiming = new Set<string>();

  /** Something may have changed for this line: claim it at the next chance. */
  touch(id: string): void {
    this.at.set(id, 0);
  }

  /** The poll: every limited line is looked at. */
  touchAll(limited: readonly string[]): void {
    for (const id of limited) this.at.set(id, 0);
  }

  /** Of the limited destinations, the lines to claim now, marked as being claimed (see done). */
  take(limited: readonly string[], now: number): string[] {
    const due = limited.filter((id) => !this.claiming.has(id) && (this.at.get(id) ?? Infinity) <= now);
    for (const id of due) {
      this.claiming.add(id);
      this.at.delete(id);
    }
    return due;
  }

  /** A claim of the line ended; `nextAt`: when its bucket has a token again (null: wait for a touch). */
  done(id: string, nextAt: number | null): void {
    this.claiming.delete(id);
    if (nextAt !== null) this.at.set(id, Math.min(this.at.get(id) ?? Infinity, nextAt));
  }

  /** The earliest time a line is to be claimed, if any. */
  get nextAt(): number | null {
    let next = Infinity;
    for (const at of this.at.values()) next = Math.min(next, at);
    return Number.isFinite(next) ? next : null;
  }
}
