// @hookgraph/client/receiver: verify the webhooks hookgraph sends.
export { verifyWebhook, type VerifyOptions, type StandardVerifiedWebhook } from './verify-webhook';
export { verifyCustomHmac, type CustomHmacOptions, type CustomHmacVerifiedWebhook } from './custom-hmac';
export { verifyRequest, type VerifiedWebhook, type RequestVerification, type WebhookRequestOptions } from './verify-request';
export { webhookMiddleware, webhookHandler, type WebhookMiddleware, type WebhookHandler, type WebhookRequest } from './middleware';
export { WebhookVerificationError, WebhookSecretError, type VerificationFailure } from './errors';
export type { PayloadFormat, ParsedPayload } from './payload';
export type { HeadersInput } from './headers';
export { DEFAULT_TOLERANCE_SECONDS } from './timestamp';
export { DEFAULT_MAX_BODY_BYTES } from './raw-body';
