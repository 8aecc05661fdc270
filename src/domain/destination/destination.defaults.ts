import type { RetryPolicy } from './destination.entity';
import { SECOND, HOUR } from '../common/time';

export const DEFAULT_TIMEOUT_MS = 15 * SECOND;
export const MAX_TIMEOUT_MS = 120 * SECOND;
export const MIN_TIMEOUT_MS = 100;
/** How long the previous signing secret still signs after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * HOUR;

/**
 * After the first try, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: quick retries for a blip,
 * then a day and a half for an outage to end before the delivery fails.
 */
export const DEFAULT_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000];

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  strategy: 'SCHEDULE',
  scheduleSeconds: DEFAULT_SCHEDULE_SECONDS,
  initialIntervalMs: 1 * SECOND,
  multiplier: 2,
  maxIntervalMs: 1 * HOUR,
  maxAttempts: DEFAULT_SCHEDULE_SECONDS.length + 1,
  retryOn4xx: false,
};

/**
 * Header names a destination may not set: the wire format's own, and what HTTP or the
 * auth settings decide. Compared lower-case; `x-hookgraph-` is reserved as a prefix.
 */
export const RESERVED_HEADERS = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'traceparent',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'host',
  'user-agent',
  'authorization',
  'te',
  'upgrade',
  'expect',
]);
export const RESERVED_HEADER_PREFIX = 'x-hookgraph-';
