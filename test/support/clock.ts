import type { Clock } from '../../src/domain/common/clock';

/**
 * A clock a test moves forward: it runs with real time, plus however far `advance` moved
 * it. What waits for a moment (Clock.at) runs as soon as the moved clock reaches it, so a
 * test reaches a token's expiry an hour ahead without waiting an hour.
 */
export class ManualClock implements Clock {
  private offsetMs = 0;
  private readonly waiting = new Set<{ at: number; run: () => void; timer?: NodeJS.Timeout }>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  at(at: number, run: () => void): () => void {
    const entry = { at, run };
    this.waiting.add(entry);
    this.arm(entry);
    return () => {
      clearTimeout((entry as { timer?: NodeJS.Timeout }).timer);
      this.waiting.delete(entry);
    };
  }

  /** Moves the clock forward by `ms`: whatever came due runs now. */
  advance(ms: number): void {
    this.offsetMs += ms;
    for (const entry of [...this.waiting]) {
      clearTimeout(entry.timer);
      this.arm(entry);
    }
  }

  private arm(entry: { at: number; run: () => void; timer?: NodeJS.Timeout }): void {
    const fire = () => {
      this.waiting.delete(entry);
      entry.run();
    };
    const delay = entry.at - this.now();
    if (delay <= 0) return fire();
    entry.timer = setTimeout(fire, delay);
    entry.timer.unref();
  }
}
