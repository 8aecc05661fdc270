/** Headers as node:http, Express, fetch or a plain object give them. */
export type HeadersInput = Headers | Record<string, string | readonly string[] | undefined>;

/** One header's value by its lower-case name, repeated values joined as HTTP joins them. */
export function headerValue(headers: HeadersInput, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : value.join(', ');
  }
  return undefined;
}
