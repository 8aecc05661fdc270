/**
 * A count of work under way (deliveries, publishes) that a stop can await: `idle()`
 * settles the moment the count is back to zero, at once when it is zero already.
 */
export class InProgress {
  private count = 0;
  private readonly waiting: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  add(n = 1): void {
    this.count += n;
  }

  done(n = 1): void {
    this.count -= n;
    if (this.count === 0) for (const resolve of this.waiting.splice(0)) resolve();
  }

  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
