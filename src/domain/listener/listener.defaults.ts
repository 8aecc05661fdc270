/** The Celigo seed's figures: a bucket of 1,000 requests refilled at 300 per second. */
export const DEFAULT_RATE_LIMIT = { capacity: 1000, refillPerSecond: 300 };
export const DEFAULT_RESPONSE = { statusCode: 204, mediaType: null, bodyTemplate: null };
export const MAX_CAPTURE_MINUTES = 24 * 60;
/** Nesting deeper than this in a received body is refused (400). */
export const MAX_BODY_DEPTH = 32;
export const DEFAULT_HMAC_HEADER = 'X-Signature';
