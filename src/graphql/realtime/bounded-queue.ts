import type { BufferedSource } from './shared-execution';

/**
 * One subscriber's backlog: an async iterator fed by the hub and drained by graphql-ws
 * (which waits for each step to reach the socket; a step takes all that waits, see
 * shared-execution.ts). `push` refuses once `capacity`
 * messages wait, so a subscriber that stops reading costs a bounded amount of memory.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T>, BufferedSource {
  private items: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;

  constructor(
    private readonly capacity: number,
    private readonly onEnd: () => void = () => undefined,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** False when the backlog is full: the caller decides what happens to the subscriber. */
  push(item: T): boolean {
    if (this.ended) return true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
      return true;
    }
    if (this.size >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.items[this.head]!; // size > 0: the head is an item
      this.advance(1);
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Up to `max` of the items waiting, oldest first, taken at once (none once ended). */
  takeBuffered(max: number): T[] {
    const taken = this.items.slice(this.head, this.head + Math.min(max, this.size));
    this.advance(taken.length);
    return taken;
  }

  private advance(count: number): void {
    this.head += count;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Ends the stream (also while a `next()` is pending) and drops what waits. */
  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.items = [];
    this.head = 0;
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.({ value: undefined, done: true });
    this.onEnd();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
