import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import Stripe from 'stripe';
import { inboundRequest } from '../../src/domain/listener/inbound-request';
import { providerEventType, verifyProvider, type Provider } from '../../src/domain/listener/providers';

/**
 * Each provider preset checks requests signed the provider's way: by the provider's own
 * library where npm has one (stripe, @octokit/webhooks-methods), else by its documented
 * algorithm (Slack, Shopify).
 */

const NOW = 1_767_000_000_000;
const SECRET = 'provider-signing-secret-1';

const request = (body: string, headers: Record<string, string>, now = NOW) =>
  inboundRequest(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), Buffer.from(body), 'json', now);

const verdict = (provider: Provider, body: string, headers: Record<string, string>, now = NOW, secret = SECRET) =>
  verifyProvider(provider, secret, request(body, headers, now));

describe('provider presets', () => {
  it('GITHUB: X-Hub-Signature-256 as @octokit/webhooks-methods signs it; type from X-GitHub-Event', async () => {
    const { sign } = await import('@octokit/webhooks-methods');
    const body = JSON.stringify({ action: 'opened', number: 7 });
    const signature = await sign(SECRET, body);
    const headers = { 'X-Hub-Signature-256': signature, 'X-GitHub-Event': 'pull_request', 'X-GitHub-Delivery': 'd-1' };
    assert.deepEqual(verdict('GITHUB', body, headers), { ok: true });
    assert.equal(providerEventType('GITHUB', request(body, headers)), 'pull_request');
    assert.equal(verdict('GITHUB', body.replace('7', '8'), headers).ok, false, 'a tampered body');
    assert.equal(verdict('GITHUB', body, headers, NOW, 'another-secret').ok, false, 'another secret');
    assert.deepEqual(verdict('GITHUB', body, {}), { ok: false, reason: 'missing X-Hub-Signature-256 header' });
  });

  it('STRIPE: Stripe-Signature from stripe.webhooks.generateTestHeaderString, within 5 minutes; type from the body', () => {
    const stripe = new Stripe('sk_test_unused');
    const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: {} } });
    const timestamp = NOW / 1000;
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp });
    assert.deepEqual(verdict('STRIPE', body, { 'Stripe-Signature': header }), { ok: true });
    assert.equal(providerEventType('STRIPE', request(body, {})), 'invoice.paid');
    assert.deepEqual(verdict('STRIPE', body, { 'Stripe-Signature': header }, NOW + 301_000), {
      ok: false,
      reason: 'signature timestamp outside the 5-minute tolerance',
    });
    assert.equal(verdict('STRIPE', body, { 'Stripe-Signature': header }, NOW + 299_000).ok, true, 'inside the tolerance');
    assert.equal(verdict('STRIPE', body.replace('paid', 'void'), { 'Stripe-Signature': header }).ok, false);
    // Several v1 signatures (a rolled secret): any one that matches will do.
    const other = stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'old-secret', timestamp });
    const both = `${header},v1=${other.split('v1=')[1]}`;
    assert.equal(verdict('STRIPE', body, { 'Stripe-Signature': both }).ok, true);
    assert.equal(verdict('STRIPE', body, { 'Stripe-Signature': 'v1=abc' }).ok, false, 'no timestamp');
  });

  it("SLACK: v0 HMAC of v0:timestamp:body with X-Slack-Request-Timestamp (Slack's documented scheme)", () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention', text: 'hi' } });
    const ts = String(NOW / 1000);
    const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const headers = { 'X-Slack-Signature': signature, 'X-Slack-Request-Timestamp': ts };
    assert.deepEqual(verdict('SLACK', body, headers), { ok: true });
    assert.equal(providerEventType('SLACK', request(body, headers)), 'app_mention');
    assert.equal(providerEventType('SLACK', request(JSON.stringify({ type: 'url_verification' }), headers)), 'url_verification');
    assert.equal(verdict('SLACK', body, headers, NOW - 600_000).ok, false, 'stale');
    assert.equal(verdict('SLACK', body, { ...headers, 'X-Slack-Request-Timestamp': String(NOW / 1000 + 1) }).ok, false, 'another timestamp');
  });

  it("SHOPIFY: base64 HMAC-SHA256 of the body in X-Shopify-Hmac-Sha256 (Shopify's documented scheme); type from X-Shopify-Topic", () => {
    const body = JSON.stringify({ id: 820982911946154500, email: 'jon@example.com' });
    const headers = { 'X-Shopify-Hmac-Sha256': createHmac('sha256', SECRET).update(body).digest('base64'), 'X-Shopify-Topic': 'orders/create' };
    assert.deepEqual(verdict('SHOPIFY', body, headers), { ok: true });
    assert.equal(providerEventType('SHOPIFY', request(body, headers)), 'orders.create');
    assert.equal(verdict('SHOPIFY', body, { ...headers, 'X-Shopify-Hmac-Sha256': createHmac('sha256', 'x').update(body).digest('base64') }).ok, false);
  });
});
