import { readPath } from '../webhook/filter';
import { headerOf, type InboundRequest } from './inbound-request';

/** Where a request carries the id that a repeat of it carries again: a header, or a path of the body. */
export interface DedupeSource {
  header: string | null;
  path: string | null;
}

/** A repeat of a request within this long is answered as the first was and makes no new event. */
export const DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 1000;

/** The request's dedupe key, or null when it carries none (it is then handled as new). */
export function dedupeKeyOf(source: DedupeSource, req: InboundRequest): string | null {
  let value: unknown;
  if (source.header) value = headerOf(req, source.header);
  else if (source.path) value = readPath(req.data(), source.path);
  if (typeof value === 'number') value = String(value);
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_LENGTH ? value : null;
}
