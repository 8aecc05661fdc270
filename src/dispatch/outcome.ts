import type { AttemptOutcome } from '../domain/delivery/delivery-attempt.entity';
import type { RetryPolicy } from '../domain/destination/destination.entity';
import { attemptOutcomeOf } from './errors';
import { headerValue, type HttpExchange } from './http-client';
import { parseRetryAfter } from './retry/retry-after';

/**
 * What one attempt means for its delivery, one type per stage:
 * - SUCCESS: 2xx.
 * - RETRY: network error, timeout, unreadable response, 408, 429, 5xx (and other 4xx
 *   when the destination's policy says retryOn4xx); carries a bounded Retry-After.
 * - FAIL: 3xx (redirects are never followed), other 4xx, a blocked address, and a
 *   request the HTTP client refused to send. A blocked address is a configuration
 *   problem: the URL or the allowlist must change, and retrying on the schedule would
 *   only repeat the refusal, so the delivery fails at once and an operator retries it
 *   after the fix. A refused request never reached the endpoint and says nothing about
 *   it: the circuit breaker does not count it.
 * - GONE: 410. The receiver says the endpoint is gone for good: the destination is
 *   disabled, and this delivery waits with the others for it to be re-enabled.
 */
export type Outcome =
  | { kind: 'SUCCESS'; attemptOutcome: 'SUCCESS'; statusCode: number }
  | { kind: 'RETRY'; attemptOutcome: AttemptOutcome; statusCode: number | null; error: string; retryAfterMs: number | null }
  | { kind: 'FAIL'; attemptOutcome: AttemptOutcome; statusCode: number | null; error: string }
  | { kind: 'GONE'; attemptOutcome: 'HTTP_ERROR'; statusCode: 410; error: string };

export function classifyExchange(exchange: HttpExchange, policy: Pick<RetryPolicy, 'retryOn4xx'>, now: Date): Outcome {
  switch (exchange.kind) {
    case 'FAILURE': {
      const attemptOutcome = attemptOutcomeOf(exchange.error);
      const statusCode = exchange.partial?.statusCode ?? null;
      if (attemptOutcome === 'BLOCKED_ADDRESS' || attemptOutcome === 'INVALID_REQUEST')
        return { kind: 'FAIL', attemptOutcome, statusCode, error: exchange.error.message };
      return { kind: 'RETRY', attemptOutcome, statusCode, error: exchange.error.message, retryAfterMs: null };
    }
    case 'RESPONSE':
      return classifyStatus(exchange.response.statusCode, headerValue(exchange.response.headers, 'retry-after'), policy, now);
    default: {
      const never: never = exchange;
      throw new Error(`unknown exchange ${JSON.stringify(never)}`);
    }
  }
}

export function classifyStatus(statusCode: number, retryAfter: string | null, policy: Pick<RetryPolicy, 'retryOn4xx'>, now: Date): Outcome {
  if (statusCode >= 200 && statusCode < 300) return { kind: 'SUCCESS', attemptOutcome: 'SUCCESS', statusCode };
  const error = `HTTP ${statusCode}`;
  if (statusCode === 410) return { kind: 'GONE', attemptOutcome: 'HTTP_ERROR', statusCode, error: 'HTTP 410: the receiver says the endpoint is gone' };
  if (statusCode === 408 || statusCode === 429 || statusCode >= 500) {
    return { kind: 'RETRY', attemptOutcome: 'HTTP_ERROR', statusCode, error, retryAfterMs: parseRetryAfter(retryAfter, now) };
  }
  if (statusCode >= 300 && statusCode < 400) {
    return { kind: 'FAIL', attemptOutcome: 'HTTP_ERROR', statusCode, error: `HTTP ${statusCode}: redirects are not followed` };
  }
  if (statusCode >= 400 && statusCode < 500 && policy.retryOn4xx) {
    return { kind: 'RETRY', attemptOutcome: 'HTTP_ERROR', statusCode, error, retryAfterMs: parseRetryAfter(retryAfter, now) };
  }
  // Other 4xx, and 1xx that undici surfaces as final (it never should): the request itself is wrong.
  return { kind: 'FAIL', attemptOutcome: statusCode < 200 ? 'INVALID_RESPONSE' : 'HTTP_ERROR', statusCode, error };
}
