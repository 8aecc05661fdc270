import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/**
 * What the Standard Webhooks signature covers: `${id}.${timestamp}.${payload}`, the
 * timestamp in unix seconds (or as the `webhook-timestamp` header carried it). The only
 * place that builds it: requests, stored attempts and tests all ask here.
 */
export function signatureBaseString(id: string, timestampSeconds: number | string, payload: string): string {
  return `${id}.${timestampSeconds}.${payload}`;
}

/**
 * One Standard Webhooks signature, `v1,<base64 HMAC-SHA256>`. The key is the base64
 * after `whsec_` (decoded to bytes), exactly as the `standardwebhooks` and `svix`
 * libraries read it.
 */
export function signStandardWebhook(secret: string, baseString: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(baseString, 'utf8').digest('base64')}`;
}

/** Secrets whose decoded key keyOf remembers; past this, it starts over. */
const REMEMBERED_KEYS = 1000;
const keys = new Map<string, KeyObject>();

/** A secret's HMAC key, decoded once: every delivery to a destination signs with the same secret. */
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64'));
    if (keys.size >= REMEMBERED_KEYS) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * The `webhook-signature` header value: one signature per secret, space-separated
 * (current first, then the previous secret while its rotation overlap lasts).
 */
export function webhookSignatureHeader(secrets: readonly string[], baseString: string): string {
  return secrets.map((secret) => signStandardWebhook(secret, baseString)).join(' ');
}
