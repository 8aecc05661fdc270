import { readPath } from '../webhook/filter';

const PLACEHOLDER = /\{\{\{\s*([A-Za-z0-9_$.-]+)\s*\}\}\}|\{\{\s*([A-Za-z0-9_$.-]+)\s*\}\}/g;

/**
 * Renders a listener's response body: `{{path}}` is replaced by the value at that dotted
 * path of `context`, escaped for the response's media type. No helpers, no code: only
 * substitution, so a template can never run anything. The triple-stash
 * `{{{path}}}` of Handlebars-style templates is accepted but escaped all the same: the
 * values come from a third party, and raw output would let them shape our answer.
 */
export function renderTemplate(template: string, context: unknown, mediaType: string | null): string {
  const escape = escaperFor(mediaType);
  return template.replace(PLACEHOLDER, (_, triple: string | undefined, double: string | undefined) => {
    const value = readPath(context, (triple ?? double)!);
    if (value === undefined || value === null) return '';
    return escape(typeof value === 'object' ? JSON.stringify(value) : String(value));
  });
}

function escaperFor(mediaType: string | null): (text: string) => string {
  const type = (mediaType ?? 'text/plain').toLowerCase();
  if (type.includes('json')) return (text) => JSON.stringify(text).slice(1, -1);
  if (type.includes('xml') || type.includes('html')) {
    return (text) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
  }
  return (text) => text;
}
