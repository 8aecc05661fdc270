import { createHmac } from 'node:crypto';
import { readPath } from '../webhook/filter';
import type { DedupeSource } from './dedupe-key';
import { headerOf, type InboundRequest } from './inbound-request';
import { safeEqual } from './safe-equal';

export const PROVIDERS = ['GITHUB', 'STRIPE', 'SLACK', 'SHOPIFY'] as const;
export type Provider = (typeof PROVIDERS)[number];

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Stripe and Slack refuse a signature whose timestamp is further than this from now (a replayed request). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/**
 * A provider's own webhook scheme: how its signature is checked, where the event type is,
 * and which id makes a repeat recognisable.
 */
interface ProviderScheme {
  verify(secret: string, req: InboundRequest): VerifyResult;
  /** The event type as the provider names it, before it is made a hookgraph type. */
  type(req: InboundRequest): unknown;
  dedupe: DedupeSource;
}

const hmacSha256 = (secret: string, payload: string | Buffer) => createHmac('sha256', secret).update(payload);

const SCHEMES: Record<Provider, ProviderScheme> = {
  /** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`; type `X-GitHub-Event`; id `X-GitHub-Delivery`. */
  GITHUB: {
    verify(secret, req) {
      const presented = headerOf(req, 'x-hub-signature-256');
      if (!presented) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
      const expected = `sha256=${hmacSha256(secret, req.rawBody).digest('hex')}`;
      return safeEqual(presented.trim().toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
    },
    type: (req) => headerOf(req, 'x-github-event'),
    dedupe: { header: 'X-GitHub-Delivery', path: null },
  },
  /**
   * `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">[,v1=…]`, within the
   * tolerance; type and id in the body (`type`, `id`).
   */
  STRIPE: {
    verify(secret, req) {
      const parts = (headerOf(req, 'stripe-signature') ?? '').split(',').map((p) => p.trim().split('='));
      const t = parts.find(([k]) => k === 't')?.[1];
      const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
      if (!t || signatures.length === 0) return { ok: false, reason: 'missing or malformed Stripe-Signature header' };
      const stale = staleTimestamp(t, req.now);
      if (stale) return stale;
      const expected = hmacSha256(secret, `${t}.`).update(req.rawBody).digest('hex');
      return signatures.some((s) => safeEqual(s, expected)) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
    },
    type: (req) => readPath(req.data(), 'type'),
    dedupe: { header: null, path: 'id' },
  },
  /**
   * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:timestamp:body">` with
   * `X-Slack-Request-Timestamp` within the tolerance; type the inner event's (`event.type`)
   * or the envelope's (`type`); id `event_id`.
   */
  SLACK: {
    verify(secret, req) {
      const presented = headerOf(req, 'x-slack-signature');
      const timestamp = headerOf(req, 'x-slack-request-timestamp');
      if (!presented || !timestamp) return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp header' };
      const stale = staleTimestamp(timestamp, req.now);
      if (stale) return stale;
      const expected = `v0=${hmacSha256(secret, `v0:${timestamp}:`).update(req.rawBody).digest('hex')}`;
      return safeEqual(presented.trim(), expected) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
    },
    type: (req) => readPath(req.data(), 'event.type') ?? readPath(req.data(), 'type'),
    dedupe: { header: null, path: 'event_id' },
  },
  /** `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>`; type `X-Shopify-Topic` (`orders/create`); id `X-Shopify-Webhook-Id`. */
  SHOPIFY: {
    verify(secret, req) {
      const presented = headerOf(req, 'x-shopify-hmac-sha256');
      if (!presented) return { ok: false, reason: 'missing X-Shopify-Hmac-Sha256 header' };
      return safeEqual(presented.trim(), hmacSha256(secret, req.rawBody).digest('base64')) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
    },
    type: (req) => headerOf(req, 'x-shopify-topic'),
    dedupe: { header: 'X-Shopify-Webhook-Id', path: null },
  },
};

export function verifyProvider(provider: Provider, secret: string, req: InboundRequest): VerifyResult {
  return SCHEMES[provider].verify(secret, req);
}

/** The provider's name for the event, as a hookgraph type (`orders/create` → `orders.create`), or undefined. */
export function providerEventType(provider: Provider, req: InboundRequest): string | undefined {
  const type = SCHEMES[provider].type(req);
  return typeof type === 'string' ? type.replaceAll('/', '.') : undefined;
}

/** Where the provider puts the id of a delivery, which a repeat of it carries again. */
export function providerDedupe(provider: Provider): DedupeSource {
  return SCHEMES[provider].dedupe;
}

function staleTimestamp(value: string, now: number): VerifyResult | null {
  const seconds = Number(value);
  if (!/^\d{1,12}$/.test(value)) return { ok: false, reason: 'malformed signature timestamp' };
  return Math.abs(now / 1000 - seconds) > SIGNATURE_TOLERANCE_SECONDS ? { ok: false, reason: 'signature timestamp outside the 5-minute tolerance' } : null;
}
