/** A bucket of 1,000 requests refilled at 300 per second: bursts of a busy sender pass, a flood does not. */
export const DEFAULT_RATE_LIMIT = { capacity: 1000, refillPerSecond: 300 };
export const DEFAULT_RESPONSE = { statusCode: 204, mediaType: null, bodyTemplate: null };
export const MAX_CAPTURE_MINUTES = 24 * 60;
/** Nesting deeper than this in a received body is refused (400). */
export const MAX_BODY_DEPTH = 32;
export const DEFAULT_HMAC_HEADER = 'X-Signature';
export const MAX_SAMPLE_DATA_BYTES = 64 * 1024;
/** Records one request may make into events through a resource path; more is refused (413). */
export const MAX_RECORDS_PER_REQUEST = 1000;
