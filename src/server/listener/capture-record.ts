import type { IncomingHttpHeaders } from 'node:http';
import { REDACTED, redactHeaders } from '../../dispatch/request/redact';
import type { Header } from '../../domain/destination/destination.entity';
import type { ListenerEntity } from '../../domain/listener/listener.entity';
import type { CapturedRequest } from '../../domain/listener/listener.service';

/** Captured bodies are cut here; the row stays small whatever the body limit. */
export const CAPTURED_BODY_BYTES = 256 * 1024;
/** Shorter strings are not hunted for in a captured body (a 1-character "token" would blank the body). */
const MIN_HIDDEN_LENGTH = 4;

export interface CaptureInput {
  method: string;
  headers: IncomingHttpHeaders;
  raw: Buffer | null;
  /** Strings that must not appear in the capture: the listener's secret, the token the request presented. */
  hide: (string | null | undefined)[];
  verified: boolean;
  status: number;
  /** Why it was refused, for the operator (the HTTP answer itself stays terse). */
  error: string | null;
  eventId: string | null;
}

/**
 * The ways a body may spell a string: as is; JSON-escaped, with `/` escaped too (PHP's
 * json_encode does) and with everything beyond ASCII as `\uXXXX` (so does PHP); and
 * percent-encoded, as a form (space as `+`) or a URI component, in either case of hex
 * digits. (XML is read without decoding entities, so its text is the value as is.)
 */
function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const percent = [new URLSearchParams([['', secret]]).toString().slice(1), encodeURIComponent(secret)];
  const forms = [secret, json, asciiJson, ...[json, asciiJson].map((j) => j.replaceAll('/', '\\/')), ...percent, ...percent.map(lowerHex)];
  return [...new Set(forms)];
}

const lowerHex = (encoded: string) => encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/**
 * What a capturing listener keeps of one request: credentials in headers redacted the
 * way delivery attempts redact them, the listener's own token header too, and any
 * secret (a TOKEN sent inside the body) blanked out of the body text, in every spelling
 * senders commonly use.
 */
export function captureRecord(listener: ListenerEntity, input: CaptureInput): CapturedRequest {
  const headers: Header[] = Object.entries(input.headers).map(([name, value]) => ({
    name,
    value: Array.isArray(value) ? value.join(', ') : (value ?? ''),
  }));
  const tokenHeader = listener.verification.tokenHeader?.toLowerCase();
  const hidden = input.hide.filter((s): s is string => typeof s === 'string' && s.length >= MIN_HIDDEN_LENGTH);
  let body = input.raw ? input.raw.subarray(0, CAPTURED_BODY_BYTES).toString('utf8') : null;
  if (body !== null) for (const spelling of hidden.flatMap(spellings)) body = body.split(spelling).join(REDACTED);
  return {
    method: input.method,
    contentType: input.headers['content-type'] ?? null,
    headers: redactHeaders(headers).map((h) => (h.name === tokenHeader ? { name: h.name, value: REDACTED } : h)),
    body,
    verified: input.verified,
    error: input.error?.slice(0, 500) ?? null,
    responseStatusCode: input.status,
    eventId: input.eventId,
  };
}
