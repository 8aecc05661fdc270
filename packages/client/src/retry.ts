import { NetworkError } from './errors';

/** Waits before the next try after a network error: 0.25 s, 1 s, 4 s, then gives up. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [250, 1_000, 4_000];

export interface RetryOptions {
  /** One wait per retry, in order; its length is how many retries there are. */
  delaysMs?: readonly number[];
  /** How a wait is made; tests pass one that resolves at once or on their signal. */
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt`, again after each delay while it fails with a NetworkError. Only for
 * requests that are safe to repeat (a publish with an idempotency key): any other error
 * is thrown at once.
 */
export async function retryOnNetworkError<T>(
  attempt: () => Promise<T>,
  { delaysMs = DEFAULT_RETRY_DELAYS_MS, sleep = sleepFor }: RetryOptions = {},
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const delay = delaysMs[retry];
      if (!(error instanceof NetworkError) || delay === undefined) throw error;
      await sleep(delay);
    }
  }
}
