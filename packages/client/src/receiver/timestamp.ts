import { WebhookVerificationError } from './errors';

/** How far a `webhook-timestamp` may be from now, either way: the Standard Webhooks libraries' 5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** The signing time the header carries, refused when it is outside `toleranceSeconds` of `now`. */
export function checkTimestamp(header: string, now: Date, toleranceSeconds: number): Date {
  if (!/^\d+$/.test(header.trim())) throw new WebhookVerificationError('INVALID_TIMESTAMP', 'webhook-timestamp is not unix seconds');
  const signedAt = Number(header.trim());
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds - signedAt > toleranceSeconds) throw new WebhookVerificationError('TIMESTAMP_TOO_OLD', 'webhook-timestamp is too old');
  if (signedAt - nowSeconds > toleranceSeconds) throw new WebhookVerificationError('TIMESTAMP_TOO_NEW', 'webhook-timestamp is in the future');
  return new Date(signedAt * 1000);
}
