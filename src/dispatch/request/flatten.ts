/** The default separator between nested keys: `meta__rowNumber`, `data__email`. */
export const FLAT_SEPARATOR = '__';

/**
 * Flattens a JSON value into `[key, value]` pairs for query strings and form bodies:
 * nested object keys joined with `separator` (`__` unless given), array items by index
 * (`items__0__sku`), null as
 * the empty string, numbers and booleans as their JSON text. Empty objects and arrays
 * disappear (there is nothing to send); key order is the object's.
 */
export function flatten(value: unknown, separator = FLAT_SEPARATOR): [string, string][] {
  const pairs: [string, string][] = [];
  const join = (prefix: string, key: string) => (prefix ? `${prefix}${separator}${key}` : key);
  walk(value, '', pairs, join);
  return pairs;
}

type Join = (prefix: string, key: string) => string;

function walk(value: unknown, key: string, out: [string, string][], join: Join): void {
  if (value === undefined) return;
  if (value === null) {
    if (key) out.push([key, '']);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, join(key, String(i)), out, join));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, join(key, k), out, join);
    return;
  }
  // A bare scalar at the top has no name; it is sent as `value=`.
  out.push([key || 'value', typeof value === 'string' ? value : String(value)]);
}

/** `application/x-www-form-urlencoded` text of the flattened value (also the GET query). */
export function toFormUrlEncoded(value: unknown, separator = FLAT_SEPARATOR): string {
  return new URLSearchParams(flatten(value, separator)).toString();
}
