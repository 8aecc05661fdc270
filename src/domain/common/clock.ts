/**
 * The time as the parts that must be testable without waiting read it (portal tokens
 * expire after minutes): tests start the app with a clock they move forward.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `run` once the clock reaches `at` (epoch ms); returns what cancels it. Never keeps the process alive. */
  at(at: number, run: () => void): () => void;
}

/** setTimeout's longest delay; a later moment is reached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  at(at, run) {
    let timer: NodeJS.Timeout | undefined;
    const wait = () => {
      const delay = at - Date.now();
      if (delay <= 0) return run();
      timer = setTimeout(wait, Math.min(delay, MAX_DELAY_MS));
      timer.unref();
    };
    wait();
    return () => clearTimeout(timer);
  },
};
