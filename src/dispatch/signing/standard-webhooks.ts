import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { Memo } from '../../domain/common/memo';

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
  return `v1,${createHmac('sha256', keys.get(secret)).update(baseString, 'utf8').digest('base64')}`;
}

/** Each secret's HMAC key, decoded once: every delivery to a destination signs with the same secret. */
const keys = new Memo<string, KeyObject>(1000, (secret) =>
  createSecretKey(Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64')),
);

/**
 * The `webhook-signature` header value: one signature per secret, space-separated
 * (current first, then the previous secret while its rotation overlap lasts).
 */
export function webhookSignatureHeader(secrets: readonly string[], baseString: string): string {
  return secrets.map((secret) => signStandardWebhook(secret, baseString)).join(' ');
}
