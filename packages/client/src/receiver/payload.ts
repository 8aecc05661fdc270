import { WebhookVerificationError } from './errors';
import { headerValue, type HeadersInput } from './headers';

/**
 * How hookgraph sent the payload: a JSON body, a form body (`application/x-www-form-urlencoded`,
 * the envelope flattened with `__` between nested keys), or a GET whose query string is the
 * flattened envelope.
 */
export type PayloadFormat = 'json' | 'form' | 'query';

/** The verified payload: parsed JSON, or the flattened fields of a form body or query. */
export type ParsedPayload = { format: 'json'; payload: unknown } | { format: 'form' | 'query'; payload: Record<string, string> };

/** The format a request's `content-type` says; a request without one (a GET) carries a query. */
export function formatOf(headers: HeadersInput): PayloadFormat {
  const contentType = headerValue(headers, 'content-type');
  if (contentType === undefined || contentType.trim() === '') return 'query';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  throw new WebhookVerificationError('UNSUPPORTED_CONTENT_TYPE', `content type ${mediaType} is not one hookgraph sends`);
}

export function parsePayload(format: PayloadFormat, raw: string): ParsedPayload {
  switch (format) {
    case 'json':
      try {
        return { format, payload: raw === '' ? null : JSON.parse(raw) };
      } catch {
        throw new WebhookVerificationError('INVALID_PAYLOAD', 'the body is not valid JSON');
      }
    case 'form':
    case 'query':
      // fromEntries defines own properties, so a `__proto__` field is data, not a prototype.
      return { format, payload: Object.fromEntries(new URLSearchParams(raw)) };
  }
}
