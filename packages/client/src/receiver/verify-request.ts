import type { IncomingMessage } from 'node:http';
import { verifyCustomHmac, type CustomHmacOptions, type CustomHmacVerifiedWebhook } from './custom-hmac';
import { DEFAULT_MAX_BODY_BYTES, rawBody, rawQuery } from './raw-body';
import { verifyWebhook, type StandardVerifiedWebhook, type VerifyOptions } from './verify-webhook';

/** Either signature a receiver may check: Standard Webhooks (`secret`), or the destination's custom HMAC. */
export type RequestVerification = ({ secret: string } & Omit<VerifyOptions, 'format'>) | { customHmac: Omit<CustomHmacOptions, 'format'> };

export type WebhookRequestOptions = RequestVerification & {
  /** Larger bodies are refused (413) unread (default 1 MiB). */
  maxBodyBytes?: number;
};

export type VerifiedWebhook = StandardVerifiedWebhook | CustomHmacVerifiedWebhook;

const BODILESS = new Set(['GET', 'HEAD']);

/**
 * Reads a node:http (or Express) request and verifies it: a GET by its raw query string,
 * anything else by its raw body. Rejects with WebhookVerificationError when it is not a
 * genuine, fresh webhook.
 */
export async function verifyRequest(req: IncomingMessage, options: WebhookRequestOptions): Promise<VerifiedWebhook> {
  const bodiless = BODILESS.has(req.method ?? '');
  const payload = bodiless ? rawQuery(req) : await rawBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const format = bodiless ? 'query' : undefined;
  if ('customHmac' in options) return verifyCustomHmac(payload, req.headers, { ...options.customHmac, format });
  const { secret, now, toleranceSeconds } = options;
  return verifyWebhook(payload, req.headers, secret, { now, toleranceSeconds, format });
}
