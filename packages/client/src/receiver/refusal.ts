import type { ServerResponse } from 'node:http';
import { type VerificationFailure, WebhookVerificationError } from './errors';

/** The status a refused request gets: 401 for anything about the signature or its time. */
const STATUS: Record<VerificationFailure, number> = {
  MISSING_HEADERS: 401,
  INVALID_TIMESTAMP: 401,
  TIMESTAMP_TOO_OLD: 401,
  TIMESTAMP_TOO_NEW: 401,
  NO_MATCHING_SIGNATURE: 401,
  UNSUPPORTED_CONTENT_TYPE: 415,
  INVALID_PAYLOAD: 400,
  PAYLOAD_TOO_LARGE: 413,
};

/**
 * Answers a request that failed verification with its status and a one-line reason
 * (never the expected signature); true when `error` was such a failure. A 413 closes the
 * connection, as the rest of the body is not read.
 */
export function refuse(res: ServerResponse, error: unknown): error is WebhookVerificationError {
  if (!(error instanceof WebhookVerificationError)) return false;
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (error.code === 'PAYLOAD_TOO_LARGE') headers.connection = 'close';
  res.writeHead(STATUS[error.code], headers).end(`webhook refused: ${error.message}\n`);
  return true;
}
