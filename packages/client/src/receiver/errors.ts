import { WebhookVerificationError as StandardWebhookVerificationError } from 'standardwebhooks';

/** Why a request was not accepted as a webhook from hookgraph. */
export type VerificationFailure =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` (or the custom HMAC header) is absent. */
  | 'MISSING_HEADERS'
  /** `webhook-timestamp` is not a number of seconds. */
  | 'INVALID_TIMESTAMP'
  /** Signed longer ago than the tolerance: a replay, or a clock far off. */
  | 'TIMESTAMP_TOO_OLD'
  /** Signed further ahead than the tolerance. */
  | 'TIMESTAMP_TOO_NEW'
  /** No signature in the header matches the payload with this secret. */
  | 'NO_MATCHING_SIGNATURE'
  /** A content type hookgraph never sends (it sends JSON, form bodies, or a GET's query). */
  | 'UNSUPPORTED_CONTENT_TYPE'
  /** Correctly signed, but the JSON body does not parse. */
  | 'INVALID_PAYLOAD'
  /** The body is longer than the middleware's `maxBodyBytes`. */
  | 'PAYLOAD_TOO_LARGE';

/**
 * The request is not a genuine, fresh webhook. A subclass of the `standardwebhooks`
 * library's error, so code written for that library catches it unchanged; `code` says
 * which check failed.
 */
export class WebhookVerificationError extends StandardWebhookVerificationError {
  readonly code: VerificationFailure;

  constructor(code: VerificationFailure, message: string) {
    super(message);
    // The library's constructor pins the prototype to its own class; restore ours.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'WebhookVerificationError';
    this.code = code;
  }
}

/** The secret itself is unusable (empty, not base64): a configuration mistake, not a bad request. */
export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}
