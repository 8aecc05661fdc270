import { validateCustomHmacHeader } from '../destination/destination.validation';
import type { Encoding, HmacAlgorithm } from '../destination/destination.entity';
import { refuseReservedEventType } from '../event/system-event-types';
import { SLOWEST_RATE_PER_SECOND, SLOWEST_RATE_TEXT } from '../common/time';
import { UserError } from '../common/user-error';
import { validateEventType } from '../webhook/event-type-pattern';
import type { DedupeSource } from './dedupe-key';
import type { ListenerRateLimit, ListenerResponse, VerificationType } from './listener.entity';
import { DEFAULT_HMAC_HEADER, MAX_SAMPLE_DATA_BYTES } from './listener.defaults';
import type { Provider } from './providers';

export interface VerificationInput {
  type: VerificationType;
  username?: string | null;
  password?: string | null;
  algorithm?: HmacAlgorithm | null;
  encoding?: Encoding | null;
  header?: string | null;
  prefix?: string | null;
  secret?: string | null;
  tokenPath?: string | null;
  tokenHeader?: string | null;
  /** PRESET */
  provider?: Provider | null;
}

/** A provider preset: its scheme verifies and reads requests signed with `secret`. */
export interface PresetInput {
  provider: Provider;
  secret: string;
}

export interface ListenerInput {
  name?: string | null;
  eventType?: string | null;
  eventTypePath?: string | null;
  verification?: VerificationInput | null;
  preset?: PresetInput | null;
  description?: string | null;
  eventTypeHeader?: string | null;
  dedupe?: Partial<DedupeSource> | null;
  resourcePath?: string | null;
  sampleData?: unknown;
  rateLimit?: Partial<ListenerRateLimit> | null;
  response?: Partial<ListenerResponse> | null;
}

const PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9-]+=[a-z0-9-]+)?$/i;

export function validatePath(value: string, field: string[]): string {
  if (!PATH.test(value) || value.split('.').some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new UserError(field, `"${value}" is not a dotted path like data.type`, 'INVALID');
  }
  return value;
}

export interface EventSourceSettings {
  eventType: string | null;
  eventTypePath: string | null;
  eventTypeHeader: string | null;
  /** A provider preset reads the type from the provider's own place. */
  preset: boolean;
}

export function validateEventSource({ eventType, eventTypePath, eventTypeHeader, preset }: EventSourceSettings): void {
  if (eventType) {
    validateEventType(eventType, 'eventType');
    refuseReservedEventType(eventType, ['eventType']);
  }
  if (eventTypePath) validatePath(eventTypePath, ['eventTypePath']);
  if (eventTypeHeader) validateHeaderName(eventTypeHeader, ['eventTypeHeader']);
  if (!eventType && !eventTypePath && !eventTypeHeader && !preset) {
    throw new UserError(
      ['eventType'],
      'give eventType, or eventTypePath (the body) or eventTypeHeader to read the type from the request (the path or header wins, eventType is the fallback)',
      'INVALID',
    );
  }
}

export function validateHeaderName(value: string, field: string[]): string {
  if (!/^[A-Za-z0-9-]{1,100}$/.test(value)) throw new UserError(field, `"${value}" is not a header name`, 'INVALID');
  return value;
}

/** Exactly one of a header or a body path; null turns deduplication off (a preset's own stays). */
export function validateDedupe(input: Partial<DedupeSource>): DedupeSource {
  const header = input.header ?? null;
  const path = input.path ?? null;
  if (Boolean(header) === Boolean(path)) throw new UserError(['dedupe'], 'give exactly one of header or path', 'INVALID');
  if (header) validateHeaderName(header, ['dedupe', 'header']);
  if (path) validatePath(path, ['dedupe', 'path']);
  return { header, path };
}

export function validateDescription(value: string | null): string | null {
  if (value !== null && value.length > 1000) throw new UserError(['description'], 'must be at most 1000 characters', 'TOO_LARGE');
  return value === '' ? null : value;
}

export function validatePreset(input: PresetInput): VerificationInput {
  if (!input.secret || input.secret.length > 512)
    throw new UserError(['preset', 'secret'], "must be the provider's signing secret (1 to 512 characters)", 'INVALID');
  return { type: 'PRESET', provider: input.provider, secret: input.secret };
}

/** Sample data typed by hand: JSON of at most MAX_SAMPLE_DATA_BYTES. */
export function validateSampleData(value: unknown): unknown {
  if (value !== null && JSON.stringify(value).length > MAX_SAMPLE_DATA_BYTES) {
    throw new UserError(['sampleData'], `must be at most ${MAX_SAMPLE_DATA_BYTES} bytes of JSON`, 'TOO_LARGE');
  }
  return value;
}

/** Checks a verification input; the secret it needs (given or to be generated) is decided by the service. */
export function validateVerification(v: VerificationInput): void {
  const field = (name: string) => ['verification', name];
  switch (v.type) {
    case 'NONE':
    case 'SECRET_URL':
      return;
    case 'PRESET':
      throw new UserError(field('type'), 'choose a provider with preset: { provider, secret }', 'INVALID');
    case 'BASIC':
      if (!v.username || v.username.includes(':')) throw new UserError(field('username'), 'BASIC needs a username without ":"', 'INVALID');
      if (!v.password) throw new UserError(field('password'), 'BASIC needs a password', 'INVALID');
      return;
    case 'HMAC':
      validateCustomHmacHeader({ header: v.header ?? DEFAULT_HMAC_HEADER, prefix: v.prefix });
      if (v.secret != null && (v.secret.length < 8 || v.secret.length > 512)) {
        throw new UserError(field('secret'), 'must be 8 to 512 characters (omit it to have one generated)', 'INVALID');
      }
      return;
    case 'TOKEN':
      if (Boolean(v.tokenPath) === Boolean(v.tokenHeader)) {
        throw new UserError(field('tokenPath'), 'TOKEN needs exactly one of tokenPath (in the JSON body) or tokenHeader', 'INVALID');
      }
      if (v.tokenPath) validatePath(v.tokenPath, field('tokenPath'));
      if (v.tokenHeader) validateHeaderName(v.tokenHeader, field('tokenHeader'));
      if (v.secret != null && (v.secret.length < 8 || v.secret.length > 512)) {
        throw new UserError(field('secret'), 'must be 8 to 512 characters (omit it to have one generated)', 'INVALID');
      }
      return;
  }
}

export function validateListenerRateLimit(input: Partial<ListenerRateLimit>, current: ListenerRateLimit): ListenerRateLimit {
  const capacity = input.capacity ?? current.capacity;
  const refillPerSecond = input.refillPerSecond ?? current.refillPerSecond;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1_000_000) {
    throw new UserError(['rateLimit', 'capacity'], 'must be an integer from 1 to 1000000', 'OUT_OF_RANGE');
  }
  if (!(refillPerSecond >= SLOWEST_RATE_PER_SECOND && refillPerSecond <= 1_000_000)) {
    throw new UserError(['rateLimit', 'refillPerSecond'], `must be from ${SLOWEST_RATE_TEXT} to 1000000 a second`, 'OUT_OF_RANGE');
  }
  return { capacity, refillPerSecond };
}

export function validateListenerResponse(input: Partial<ListenerResponse>, current: ListenerResponse): ListenerResponse {
  const statusCode = input.statusCode ?? current.statusCode;
  const mediaType = input.mediaType === undefined ? current.mediaType : input.mediaType;
  const bodyTemplate = input.bodyTemplate === undefined ? current.bodyTemplate : input.bodyTemplate;
  if (!Number.isInteger(statusCode) || statusCode < 200 || statusCode > 299) {
    throw new UserError(['response', 'statusCode'], 'must be a 2xx status code', 'OUT_OF_RANGE');
  }
  if (mediaType != null && !MEDIA_TYPE.test(mediaType)) {
    throw new UserError(['response', 'mediaType'], `"${mediaType}" is not a media type like application/json`, 'INVALID');
  }
  if (bodyTemplate != null && bodyTemplate.length > 10_000) {
    throw new UserError(['response', 'bodyTemplate'], 'must be at most 10000 characters', 'TOO_LARGE');
  }
  if (bodyTemplate && (statusCode === 204 || statusCode === 205)) {
    throw new UserError(['response', 'bodyTemplate'], `a ${statusCode} response has no body; choose 200`, 'INVALID');
  }
  return { statusCode, mediaType: mediaType ?? null, bodyTemplate: bodyTemplate ?? null };
}
