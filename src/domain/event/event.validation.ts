import { UserError } from '../common/user-error';
import { validateEventType } from '../webhook/event-type-pattern';
import type { EventSource } from './event.entity';
import { refuseReservedEventType } from './system-event-types';

export const MAX_DATA_BYTES = 512 * 1024;
export const MAX_KEY_LENGTH = 200;
export const MAX_ENTITY_URL_LENGTH = 2048;

/**
 * The entity id travels in the `X-Hookgraph-Entity-Id` header: printable ASCII reads the
 * same in a header as in the JSON body (a header carries no charset), and a control
 * character would make the request impossible to send.
 */
const HEADER_TEXT = /^[\x20-\x7e]*$/;
/** A URL as sent in `X-Hookgraph-Entity-Url`: no spaces, no controls, non-ASCII percent-encoded. */
const URL_TEXT = /^[\x21-\x7e]+$/;

/** An event type a publisher may use: well-formed, and outside hookgraph's own namespaces unless hookgraph publishes it. */
export function validatePublishedType(type: string, source: EventSource): void {
  validateEventType(type, 'type');
  if (source !== 'SYSTEM') refuseReservedEventType(type, ['type']);
}

export function validateData(data: unknown, field: string[]): void {
  const size = Buffer.byteLength(JSON.stringify(data));
  if (size > MAX_DATA_BYTES) throw new UserError(field, `is ${size} bytes; the limit is ${MAX_DATA_BYTES}`, 'TOO_LARGE');
}

export function validateEntityId(value: string | null | undefined, field: string[]): void {
  if (value == null) return;
  validateKey(value, field);
  if (!HEADER_TEXT.test(value) || value.trim() !== value) {
    throw new UserError(field, 'must be printable ASCII without control characters or surrounding spaces (it is sent in a header)', 'INVALID');
  }
}

export function validateEntityUrl(value: string | null | undefined, field: string[]): void {
  if (value == null) return;
  const fail = (why: string): never => {
    throw new UserError(field, `${why}: give an absolute http(s) URL of at most ${MAX_ENTITY_URL_LENGTH} characters`, 'INVALID_URL');
  };
  if (value.length > MAX_ENTITY_URL_LENGTH) fail(`is ${value.length} characters long`);
  if (!URL_TEXT.test(value)) fail('holds spaces, control characters or non-ASCII characters (percent-encode them)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`"${url.protocol}" is not http or https`);
  if (url.username || url.password) fail('must not carry credentials');
}

/** Idempotency and ordering keys (and entity ids): up to MAX_KEY_LENGTH characters. */
export function validateKey(value: string | null | undefined, field: string[]): void {
  if (value != null && value.length > MAX_KEY_LENGTH) throw new UserError(field, `must be at most ${MAX_KEY_LENGTH} characters`, 'INVALID');
}
