/** The separator between nested keys (the valmi seed: `meta__rowNumber`, `data__email`). */
export const FLAT_SEPARATOR = '__';

/**
 * Flattens a JSON value into `[key, value]` pairs for query strings and form bodies:
 * nested object keys joined with `__`, array items by index (`items__0__sku`), null as
 * the empty string, numbers and booleans as their JSON text. Empty objects and arrays
 * disappear (there is nothing to send); key order is the object's.
 */
export function flatten(value: unknown, prefix = ''): [string, string][] {
  const pairs: [string, string][] = [];
  walk(value, prefix, pairs);
  return pairs;
}

function walk(value: unknown, key: string, out: [string, string][]): void {
  if (value === undefined) return;
  if (value === null) {
    if (key) out.push([key, '']);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, join(key, String(i)), out));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, join(key, k), out);
    return;
  }
  // A bare scalar at the top has no name; it is sent as `value=`.
  out.push([key || 'value', typeof value === 'string' ? value : String(value)]);
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}${FLAT_SEPARATOR}${key}` : key;
}

/** `application/x-www-form-urlencoded` text of the flattened value (also the GET query). */
export function toFormUrlEncoded(value: unknown): string {
  return new URLSearchParams(flatten(value)).toString();
}
