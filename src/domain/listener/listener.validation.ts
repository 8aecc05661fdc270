import { validateCustomHmacHeader } from '../destination/destination.validation';
import type { Encoding, HmacAlgorithm } from '../destination/destination.entity';
import { refuseReservedEventType } from '../event/system-event-types';
import { SLOWEST_RATE_PER_SECOND, SLOWEST_RATE_TEXT } from '../shared/time';
import { UserError } from '../shared/user-error';
import { validateEventType } from '../webhook/event-type-pattern';
import type { ListenerRateLimit, ListenerResponse, VerificationType } from './listener.entity';
import { DEFAULT_HMAC_HEADER } from './listener.defaults';

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
}

export interface ListenerInput {
  name?: string | null;
  eventType?: string | null;
  eventTypePath?: string | null;
  verification?: VerificationInput | null;
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

export function validateEventSource(eventType: string | null, eventTypePath: string | null): void {
  if (eventType) {
    validateEventType(eventType, 'eventType');
    refuseReservedEventType(eventType, ['eventType']);
  }
  if (eventTypePath) validatePath(eventTypePath, ['eventTypePath']);
  if (!eventType && !eventTypePath) {
    throw new UserError(
      ['eventType'],
      'give eventType, or eventTypePath to read the type from the body (or both: the path wins, the type is the fallback)',
      'INVALID',
    );
  }
}

/** Checks a verification input; the secret it needs (given or to be generated) is decided by the service. */
export function validateVerification(v: VerificationInput): void {
  const field = (name: string) => ['verification', name];
  switch (v.type) {
    case 'NONE':
    case 'SECRET_URL':
      return;
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
      if (v.tokenHeader && !/^[A-Za-z0-9-]{1,100}$/.test(v.tokenHeader)) {
        throw new UserError(field('tokenHeader'), `"${v.tokenHeader}" is not a header name`, 'INVALID');
      }
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
