import type { Header } from '../../domain/destination/destination.entity';

export const REDACTED = '[REDACTED]';

/**
 * Names that carry credentials: any name containing auth, token, secret, password, key,
 * credential, cookie or session (and the `pwd` abbreviation). A signature header is
 * shown only because such names do not usually say one of these words: a name that does
 * (`X-Signature-Auth`) is a credential like any other.
 */
const SECRET_NAME = /auth|token|secret|passw|pwd|key|credential|cookie|session/i;
/** `Bearer abc` → `Bearer [REDACTED]`: the scheme helps reading an attempt and reveals nothing. */
const SCHEME = /^(Basic|Bearer|Token|Digest)\s+/i;

/**
 * Headers as stored on a DeliveryAttempt, shown by test sends and dry runs, and kept by
 * listener captures: every header whose name says it holds a credential loses its value;
 * custom headers with harmless names (X-Tenant) stay readable, and so do `webhook-signature`
 * and custom HMAC signature headers (a signature reveals nothing of its key).
 */
export function redactHeaders(headers: readonly Header[]): Header[] {
  return headers.map((h) => (SECRET_NAME.test(h.name) ? { name: h.name, value: redactValue(h.value) } : { name: h.name, value: h.value }));
}

function redactValue(value: string): string {
  const scheme = SCHEME.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}
