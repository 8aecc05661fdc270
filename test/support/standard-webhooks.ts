import type { IncomingHttpHeaders } from 'node:http';

/** The three Standard Webhooks headers: what the verifying libraries take and the base string is built from. */
export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

type HeaderList = readonly { name: string; value: string }[];

/** From a received request's headers, or from a request as built, stored or rendered (a list of names and values). */
export function swHeaders(headers: IncomingHttpHeaders | Record<string, string> | HeaderList): StandardWebhookHeaders {
  const one = (name: string): string => {
    if (isList(headers)) return headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  };
  return { 'webhook-id': one('webhook-id'), 'webhook-timestamp': one('webhook-timestamp'), 'webhook-signature': one('webhook-signature') };
}

function isList(headers: IncomingHttpHeaders | Record<string, string> | HeaderList): headers is HeaderList {
  return Array.isArray(headers);
}
