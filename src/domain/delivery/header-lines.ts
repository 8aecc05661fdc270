import type { ValueTransformer } from 'typeorm';
import type { Header } from '../destination/destination.entity';

/**
 * An attempt's headers as stored: one `name: value` line each, as HTTP writes them, which
 * costs a third of the JSON list of `{"name":…,"value":…}` objects to write and to keep.
 * A list that lines cannot hold exactly (a name that is not an HTTP token, a value with a
 * line break or space at either end) is stored as JSON instead. Reading tells the two
 * apart by the first character: a JSON list starts with `[`, which no token does.
 * Attempts stored before this form are JSON and read as they always did.
 */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A line break anywhere, or white space at either end (which a line would not keep). */
const UNFIT_VALUE = /[\r\n]|^\s|\s$/;

/** Names found to be tokens: the same dozen names come with every attempt. */
const tokens = new Set<string>();
const MAX_TOKENS = 1000;

function isToken(name: string): boolean {
  if (tokens.has(name)) return true;
  if (!TOKEN.test(name)) return false;
  if (tokens.size >= MAX_TOKENS) tokens.clear();
  tokens.add(name);
  return true;
}

export function encodeHeaderLines(headers: readonly Header[]): string {
  let text = '';
  for (const { name, value } of headers) {
    if (!isToken(name) || UNFIT_VALUE.test(value)) return JSON.stringify(headers);
    text += text ? `\n${name}: ${value}` : `${name}: ${value}`;
  }
  return text;
}

export function decodeHeaderLines(text: string): Header[] {
  if (text.startsWith('[')) return JSON.parse(text) as Header[];
  if (text === '') return [];
  return text.split('\n').map((line) => {
    const colon = line.indexOf(': ');
    return { name: line.slice(0, colon), value: line.slice(colon + 2) };
  });
}

/** The column transformer of stored header lists. */
export const headerLines: ValueTransformer = {
  to: (value: Header[] | null | undefined) => (value == null ? value : encodeHeaderLines(value)),
  from: (value: string | null) => (value == null ? null : decodeHeaderLines(value)),
};
