/**
 * Lets long synchronous work (routing an event through many webhook filters, or a batch
 * of 1,000 rows) give the event loop a turn every `sliceMs`, so requests, timers and
 * deliveries of the same process wait at most one slice and one step for it.
 */
export class EventLoopShare {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = 10) {}

  /** This slice has had its time: `await rest()` before the next step. */
  get due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  async rest(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }
}
