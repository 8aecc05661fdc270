import { UserError } from '../common/user-error';
import { DAY, SLOWEST_RATE_PER_SECOND, SLOWEST_RATE_TEXT } from '../common/time';
import type { AuthType, BodyFormat, Encoding, Header, HmacAlgorithm, HttpMethod, RateLimit, RetryPolicy, RetryStrategy } from './destination.entity';
import { DEFAULT_RETRY_POLICY, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS, RESERVED_HEADERS, RESERVED_HEADER_PREFIX } from './destination.defaults';

export interface AuthInput {
  type: AuthType;
  username?: string | null;
  password?: string | null;
  token?: string | null;
}

export interface CustomHmacInput {
  algorithm?: HmacAlgorithm | null;
  encoding?: Encoding | null;
  header?: string | null;
  prefix?: string | null;
  secret?: string | null;
}

export interface RetryPolicyInput {
  strategy?: RetryStrategy | null;
  scheduleSeconds?: number[] | null;
  initialIntervalMs?: number | null;
  multiplier?: number | null;
  maxIntervalMs?: number | null;
  maxAttempts?: number | null;
  retryOn4xx?: boolean | null;
}

export interface RateLimitInput {
  perSecond?: number | null;
  burst?: number | null;
  maxConcurrency?: number | null;
}

export interface DestinationInput {
  name?: string | null;
  url?: string | null;
  method?: HttpMethod | null;
  format?: BodyFormat | null;
  timeoutMs?: number | null;
  headers?: Header[] | null;
  auth?: AuthInput | null;
  signing?: { customHmac?: CustomHmacInput | null } | null;
  retryPolicy?: RetryPolicyInput | null;
  rateLimit?: RateLimitInput | null;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

export function validateName(name: string | null | undefined, field = 'name'): string {
  const trimmed = (name ?? '').trim();
  if (!trimmed || trimmed.length > 200) throw new UserError([field], 'must be 1 to 200 characters', 'INVALID');
  return trimmed;
}

export function validateUrl(value: string | null | undefined, field = 'url'): string {
  const raw = (value ?? '').trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError([field], `"${raw}" is not an absolute URL`, 'INVALID_URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError([field], `scheme ${url.protocol.slice(0, -1)} is not allowed: use http or https`, 'INVALID_URL');
  }
  if (url.username || url.password) {
    throw new UserError([field], 'credentials in the URL are not allowed: use auth { type: BASIC }', 'INVALID_URL');
  }
  if (raw.length > 2048) throw new UserError([field], 'is longer than 2048 characters', 'INVALID_URL');
  if (url.hash) throw new UserError([field], 'must not contain a #fragment', 'INVALID_URL');
  return url.toString();
}

export function validateTimeout(value: number, field = 'timeoutMs'): number {
  if (!Number.isInteger(value) || value < MIN_TIMEOUT_MS || value > MAX_TIMEOUT_MS) {
    throw new UserError([field], `must be an integer from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}`, 'OUT_OF_RANGE');
  }
  return value;
}

export function validateHeaders(headers: Header[], reserved: string[] = []): Header[] {
  if (headers.length > 50) throw new UserError(['headers'], 'at most 50 custom headers', 'INVALID');
  validateHeaderNames(headers, reserved);
  return headers.map((header, i) => {
    if (/[\r\n\0]/.test(header.value) || header.value.length > 4096) {
      throw new UserError(['headers', String(i), 'value'], 'must be at most 4096 characters without line breaks', 'INVALID');
    }
    return { name: header.name, value: header.value };
  });
}

/** Custom header names: valid, and none that hookgraph sets itself (nor any of `reserved`). */
export function validateHeaderNames(headers: readonly { name: string }[], reserved: string[] = []): void {
  const extra = new Set(reserved.map((h) => h.toLowerCase()));
  headers.forEach(({ name }, i) => {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      throw new UserError(['headers', String(i), 'name'], `"${name}" is not a valid header name`, 'INVALID');
    }
    if (RESERVED_HEADERS.has(lower) || lower.startsWith(RESERVED_HEADER_PREFIX) || extra.has(lower)) {
      throw new UserError(['headers', String(i), 'name'], `${name} is reserved and set by hookgraph`, 'RESERVED_HEADER');
    }
  });
}

export function validateAuth(auth: AuthInput): { type: AuthType; username: string | null; secret: string | null } {
  switch (auth.type) {
    case 'NONE':
      return { type: 'NONE', username: null, secret: null };
    case 'BASIC':
      if (!auth.username || auth.username.includes(':')) {
        throw new UserError(['auth', 'username'], 'BASIC auth needs a username without ":"', 'INVALID');
      }
      if (!auth.password) throw new UserError(['auth', 'password'], 'BASIC auth needs a password', 'INVALID');
      return { type: 'BASIC', username: auth.username, secret: auth.password };
    case 'BEARER':
      if (!auth.token || /[\s]/.test(auth.token)) {
        throw new UserError(['auth', 'token'], 'BEARER auth needs a token without white space', 'INVALID');
      }
      return { type: 'BEARER', username: null, secret: auth.token };
  }
}

export function validateCustomHmacHeader(input: CustomHmacInput): { header: string; prefix: string } {
  const header = input.header ?? 'X-Hookgraph-Signature';
  if (!HEADER_NAME.test(header)) {
    throw new UserError(['signing', 'customHmac', 'header'], `"${header}" is not a valid header name`, 'INVALID');
  }
  const lower = header.toLowerCase();
  if (RESERVED_HEADERS.has(lower) && lower !== 'authorization') {
    throw new UserError(['signing', 'customHmac', 'header'], `${header} is reserved`, 'RESERVED_HEADER');
  }
  const prefix = input.prefix ?? '';
  if (prefix.length > 50 || /[\r\n]/.test(prefix)) {
    throw new UserError(['signing', 'customHmac', 'prefix'], 'must be at most 50 characters on one line', 'INVALID');
  }
  return { header, prefix };
}

export function validateRetryPolicy(input: RetryPolicyInput): RetryPolicy {
  const field = (name: string) => ['retryPolicy', name];
  const strategy = input.strategy ?? DEFAULT_RETRY_POLICY.strategy;
  const scheduleSeconds = input.scheduleSeconds ?? DEFAULT_RETRY_POLICY.scheduleSeconds;
  if (scheduleSeconds.length > 30 || scheduleSeconds.some((s) => !Number.isInteger(s) || s < 0 || s > (7 * DAY) / 1000)) {
    throw new UserError(field('scheduleSeconds'), 'at most 30 whole delays, each from 0 to 604800 seconds', 'OUT_OF_RANGE');
  }
  const initialIntervalMs = input.initialIntervalMs ?? DEFAULT_RETRY_POLICY.initialIntervalMs;
  if (!Number.isInteger(initialIntervalMs) || initialIntervalMs < 0 || initialIntervalMs > DAY) {
    throw new UserError(field('initialIntervalMs'), 'must be from 0 to 86400000', 'OUT_OF_RANGE');
  }
  const multiplier = input.multiplier ?? DEFAULT_RETRY_POLICY.multiplier;
  if (!(multiplier >= 1 && multiplier <= 10)) throw new UserError(field('multiplier'), 'must be from 1 to 10', 'OUT_OF_RANGE');
  const maxIntervalMs = input.maxIntervalMs ?? DEFAULT_RETRY_POLICY.maxIntervalMs;
  if (!Number.isInteger(maxIntervalMs) || maxIntervalMs < initialIntervalMs || maxIntervalMs > 7 * DAY) {
    throw new UserError(field('maxIntervalMs'), 'must be at least initialIntervalMs and at most 7 days', 'OUT_OF_RANGE');
  }
  const maxAttempts = input.maxAttempts ?? (strategy === 'SCHEDULE' ? scheduleSeconds.length + 1 : DEFAULT_RETRY_POLICY.maxAttempts);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 50) {
    throw new UserError(field('maxAttempts'), 'must be from 1 to 50', 'OUT_OF_RANGE');
  }
  return { strategy, scheduleSeconds, initialIntervalMs, multiplier, maxIntervalMs, maxAttempts, retryOn4xx: input.retryOn4xx ?? false };
}

export function validateRateLimit(input: RateLimitInput): RateLimit | null {
  const perSecond = input.perSecond ?? null;
  const burst = input.burst ?? null;
  const maxConcurrency = input.maxConcurrency ?? null;
  if (perSecond !== null && !(perSecond >= SLOWEST_RATE_PER_SECOND && perSecond <= 100_000)) {
    throw new UserError(['rateLimit', 'perSecond'], `must be from ${SLOWEST_RATE_TEXT} to 100000 requests a second`, 'OUT_OF_RANGE');
  }
  if (burst !== null && (!Number.isInteger(burst) || burst < 1 || burst > 100_000)) {
    throw new UserError(['rateLimit', 'burst'], 'must be an integer from 1 to 100000', 'OUT_OF_RANGE');
  }
  if (maxConcurrency !== null && (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > 1000)) {
    throw new UserError(['rateLimit', 'maxConcurrency'], 'must be an integer from 1 to 1000', 'OUT_OF_RANGE');
  }
  if (burst !== null && perSecond === null) {
    throw new UserError(['rateLimit', 'burst'], "is the rate limit's burst: set perSecond with it", 'INVALID');
  }
  if (perSecond === null && maxConcurrency === null) return null;
  return { perSecond, burst, maxConcurrency };
}
