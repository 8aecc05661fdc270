import type { Header } from '../../domain/destination/destination.entity';

export const REDACTED = '[REDACTED]';

/** Names that carry credentials: Authorization, cookies, and anything called a key, token, secret or password. */
const SECRET_NAME = /auth|token|secret|passw|pwd|api-?key|(^|[-_])key($|[-_])|credential|cookie|session/i;
/** Signatures prove integrity and are derived from a secret that cannot be recovered from them: shown. */
const SIGNATURE_NAME = /signature/i;
/** `Bearer abc` → `Bearer [REDACTED]`: the scheme helps reading an attempt and reveals nothing. */
const SCHEME = /^(Basic|Bearer|Token|Digest)\s+/i;

/**
 * Headers as stored on a DeliveryAttempt and shown by test sends and dry runs (SPEC §1:
 * "secrets redacted"). Authorization and every header whose name suggests a credential
 * lose their value; custom headers with harmless names (X-Tenant) stay readable;
 * `webhook-signature` and custom HMAC signature headers stay (they are not secrets).
 */
export function redactHeaders(headers: readonly Header[]): Header[] {
  return headers.map((h) => (isSecretHeader(h.name) ? { name: h.name, value: redactValue(h.value) } : { name: h.name, value: h.value }));
}

export function isSecretHeader(name: string): boolean {
  if (SIGNATURE_NAME.test(name) && !/^(proxy-)?authorization$/i.test(name)) return false;
  return SECRET_NAME.test(name);
}

function redactValue(value: string): string {
  const scheme = SCHEME.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}
