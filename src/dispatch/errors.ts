import type { AttemptOutcome } from '../domain/delivery/delivery-attempt.entity';
import { BlockedAddressError } from './ssrf/blocked-address-error';

/**
 * Errors that decide what happens to an attempt. The HTTP client turns whatever undici
 * or the socket throws into one of these; outcome.ts maps them to retry or fail.
 */
export class AttemptTimeoutError extends Error {
  override name = 'AttemptTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
  }
}

/** Connect refused, reset, closed mid-exchange, DNS failure: the receiver may not have seen it. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

/** The receiver answered something that is not HTTP we can read. */
export class InvalidResponseError extends Error {
  override name = 'InvalidResponseError';
}

/**
 * The HTTP client refused the request as built (undici's InvalidArgumentError: a header
 * or path it will not send). Nothing reached the endpoint: the request is at fault.
 */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
}

export type AttemptError = AttemptTimeoutError | ConnectionError | InvalidResponseError | InvalidRequestError | BlockedAddressError;

/** Anything thrown, as an Error: a thrown string or object keeps its text. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(`non-error thrown: ${JSON.stringify(thrown)}`);
  } catch {
    return new Error(`non-error thrown: ${String(thrown)}`);
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const INVALID_CODES = new Set(['HPE_INVALID_CONSTANT', 'HPE_INVALID_STATUS', 'HPE_INVALID_HEADER_TOKEN', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

/** Sorts a thrown transport failure into an AttemptError, looking through `cause` chains. */
export function toAttemptError(thrown: unknown, timeoutMs: number, timedOut: boolean): AttemptError {
  for (let e: unknown = thrown, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BlockedAddressError) return e;
    if (e instanceof AttemptTimeoutError || e instanceof ConnectionError || e instanceof InvalidResponseError || e instanceof InvalidRequestError) return e;
  }
  if (timedOut) return new AttemptTimeoutError(timeoutMs);
  const error = coerceError(thrown);
  const code = (error as { code?: string }).code ?? '';
  if (TIMEOUT_CODES.has(code)) return new AttemptTimeoutError(timeoutMs);
  if (code === 'UND_ERR_INVALID_ARG') return new InvalidRequestError(describe(error));
  if (INVALID_CODES.has(code) || code.startsWith('HPE_') || error.name === 'HTTPParserError') {
    return new InvalidResponseError(describe(error));
  }
  return new ConnectionError(describe(error));
}

export function attemptOutcomeOf(error: AttemptError): AttemptOutcome {
  if (error instanceof BlockedAddressError) return 'BLOCKED_ADDRESS';
  if (error instanceof AttemptTimeoutError) return 'TIMEOUT';
  if (error instanceof InvalidResponseError) return 'INVALID_RESPONSE';
  if (error instanceof InvalidRequestError) return 'INVALID_REQUEST';
  return 'CONNECTION_ERROR';
}

function describe(error: Error): string {
  const code = (error as { code?: string }).code;
  const cause = (error as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? `: ${cause.message}` : '';
  return `${code ? `${code} ` : ''}${error.message}${causeText}`.slice(0, 900);
}

/** A transaction the database rolled back to break a lock cycle (MySQL): safe to run again at once. */
export function isDeadlock(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? (error as { driverError?: { code?: string } }).driverError?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

/**
 * Runs a transaction again when MySQL picked it as a deadlock victim (or it waited too
 * long for a lock): it was rolled back whole, so running it again is safe.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i >= tries || !isDeadlock(error)) throw error;
    }
  }
}
