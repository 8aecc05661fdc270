import { registerEnumType } from 'type-graphql';
import { PROVIDERS, type Provider } from '../../domain/listener/providers';

export const VerificationType = { NONE: 'NONE', BASIC: 'BASIC', HMAC: 'HMAC', TOKEN: 'TOKEN', SECRET_URL: 'SECRET_URL', PRESET: 'PRESET' } as const;
registerEnumType(VerificationType, {
  name: 'VerificationType',
  description:
    'How a listener checks its sender: nothing, basic auth, an HMAC of the raw body, a token, the secret URL itself, or a provider’s own scheme (PRESET, set with `preset`).',
});

export const ListenerProvider = Object.fromEntries(PROVIDERS.map((p) => [p, p])) as { [P in Provider]: P };
registerEnumType(ListenerProvider, {
  name: 'ListenerProvider',
  description: 'A provider whose webhooks a preset verifies and reads in the provider’s own scheme.',
  valuesConfig: {
    GITHUB: { description: 'X-Hub-Signature-256; type from X-GitHub-Event; dedupe on X-GitHub-Delivery.' },
    STRIPE: { description: 'Stripe-Signature t=…,v1=… within 5 minutes; type from the body’s `type`; dedupe on its `id`.' },
    SLACK: {
      description: 'v0=HMAC of v0:timestamp:body with X-Slack-Request-Timestamp within 5 minutes; type from `event.type` or `type`; dedupe on `event_id`.',
    },
    SHOPIFY: { description: 'X-Shopify-Hmac-Sha256 (base64); type from X-Shopify-Topic (orders/create → orders.create); dedupe on X-Shopify-Webhook-Id.' },
  },
});
