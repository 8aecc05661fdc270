import { Webhook } from 'standardwebhooks';
import { WebhookSecretError, WebhookVerificationError } from './errors';
import { headerValue, type HeadersInput } from './headers';
import { formatOf, parsePayload, type ParsedPayload, type PayloadFormat } from './payload';
import { sameSignature, signedText } from './signed-text';
import { checkTimestamp, DEFAULT_TOLERANCE_SECONDS } from './timestamp';

export interface VerifyOptions {
  /** How the payload came; by default read from `content-type` (none: a GET's raw query). */
  format?: PayloadFormat;
  /** The time to check `webhook-timestamp` against (tests pass a fixed one). */
  now?: () => Date;
  /** How far the timestamp may be from now, either way, in seconds (default 5 minutes). */
  toleranceSeconds?: number;
}

/** A webhook whose Standard Webhooks signature matched and whose timestamp is fresh. */
export type StandardVerifiedWebhook = ParsedPayload & {
  scheme: 'standard-webhooks';
  /** `webhook-id`: the event id, the same on every retry: de-duplicate on it. */
  id: string;
  /** When hookgraph signed this attempt (`webhook-timestamp`). */
  timestamp: Date;
  /** The text that was signed: the body, or a GET's query string without the `?`. */
  raw: string;
};

/**
 * Verifies a webhook hookgraph sent, as the Standard Webhooks libraries do: the
 * `webhook-signature` header holds one or more space-separated `v1,<base64>` signatures
 * (two during a secret rotation) and one must be the HMAC-SHA256 of
 * `${webhook-id}.${webhook-timestamp}.${payload}` under `secret` (`whsec_…`, or its base64
 * without the prefix); the timestamp must be within the tolerance of now.
 *
 * `payload` is what was signed, byte for byte: the raw body as received (JSON or form), or
 * for a GET the raw query string after `?`, as received and not re-encoded. The result
 * carries it parsed: JSON, or the flattened fields (`meta__deliveryId`, `data__email`).
 *
 * Throws WebhookVerificationError (with a `code`) when the request is not genuine or not
 * fresh, WebhookSecretError when the secret cannot be a key.
 */
export function verifyWebhook(payload: string | Uint8Array, headers: HeadersInput, secret: string, options: VerifyOptions = {}): StandardVerifiedWebhook {
  const { now = () => new Date(), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = options;
  const signer = standardSigner(secret);
  const id = headerValue(headers, 'webhook-id');
  const timestampHeader = headerValue(headers, 'webhook-timestamp');
  const signatures = headerValue(headers, 'webhook-signature');
  if (!id || !timestampHeader || !signatures) {
    throw new WebhookVerificationError('MISSING_HEADERS', 'webhook-id, webhook-timestamp and webhook-signature are required');
  }
  const timestamp = checkTimestamp(timestampHeader, now(), toleranceSeconds);
  // The library signs (its key reading, its HMAC over the exact bytes); the time check
  // above is ours so that `now` can be injected.
  const expected = signer.sign(id, timestamp, payload);
  const matched = signatures.split(' ').some((versioned) => sameSignature(versioned, expected));
  if (!matched) throw new WebhookVerificationError('NO_MATCHING_SIGNATURE', 'no signature matches the payload');
  const format = options.format ?? formatOf(headers);
  const raw = signedText(payload);
  return { scheme: 'standard-webhooks', id, timestamp, raw, ...parsePayload(format, raw) };
}

/** The library's Webhook for a secret, its complaints about the secret as a WebhookSecretError. */
export function standardSigner(secret: string): Webhook {
  try {
    return new Webhook(secret);
  } catch (error) {
    throw new WebhookSecretError(`the signing secret is unusable: ${error instanceof Error ? error.message : String(error)}`);
  }
}
