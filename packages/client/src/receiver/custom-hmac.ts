import { createHmac } from 'node:crypto';
import { WebhookSecretError, WebhookVerificationError } from './errors';
import { headerValue, type HeadersInput } from './headers';
import { formatOf, parsePayload, type ParsedPayload, type PayloadFormat } from './payload';
import { sameSignature, signedText } from './signed-text';

/** A destination's `signing.customHmac`, as the receiver knows it. */
export interface CustomHmacOptions {
  /** `customHmac.secret`, or the destination's `whsec_…` string when none was given. */
  secret: string;
  /** The header hookgraph puts the signature in, e.g. `X-Hub-Signature-256`. */
  header: string;
  algorithm?: 'SHA1' | 'SHA256' | 'SHA384' | 'SHA512';
  encoding?: 'HEX' | 'BASE64';
  /** What comes before the digest, e.g. `sha256=`. */
  prefix?: string;
  /** How the payload came; by default read from `content-type` (none: a GET's raw query). */
  format?: PayloadFormat;
}

/**
 * A webhook whose custom HMAC matched. That signature covers the payload only, not a
 * time, so it proves origin but not freshness (the Standard Webhooks one proves both).
 */
export type CustomHmacVerifiedWebhook = ParsedPayload & {
  scheme: 'custom-hmac';
  /** The text that was signed: the body, or a GET's query string without the `?`. */
  raw: string;
};

/**
 * Verifies the custom HMAC form (for receivers built for another service's convention,
 * such as GitHub's `X-Hub-Signature-256: sha256=<hex>`): `prefix` + the HMAC of the
 * payload keyed with the secret string's UTF-8 bytes, hex or base64. The payload is the
 * same as for verifyWebhook: the raw body, or a GET's raw query string.
 */
export function verifyCustomHmac(payload: string | Uint8Array, headers: HeadersInput, options: CustomHmacOptions): CustomHmacVerifiedWebhook {
  const { secret, header, algorithm = 'SHA256', encoding = 'HEX', prefix = '' } = options;
  if (secret === '') throw new WebhookSecretError('the custom HMAC secret is empty');
  const received = headerValue(headers, header.toLowerCase());
  if (!received) throw new WebhookVerificationError('MISSING_HEADERS', `${header} is required`);
  const raw = signedText(payload);
  const digest = createHmac(algorithm.toLowerCase(), Buffer.from(secret, 'utf8'))
    .update(raw, 'utf8')
    .digest(encoding === 'HEX' ? 'hex' : 'base64');
  if (!sameSignature(received, prefix + digest)) throw new WebhookVerificationError('NO_MATCHING_SIGNATURE', `${header} does not match the payload`);
  return { scheme: 'custom-hmac', raw, ...parsePayload(options.format ?? formatOf(headers), raw) };
}
