/**
 * A copy of `data` without the value at the dotted path `a.b.0.c` (own properties only,
 * as readPath reads them), for a TOKEN listener's token sent in the body: it proved the
 * sender and goes no further. Only the objects and arrays along the path are copied; an
 * array loses the element. `data` itself when the path leads nowhere.
 */
export function withoutPath(data: unknown, path: string): unknown {
  return without(data, path.split('.'));
}

function without(node: unknown, [part, ...rest]: string[]): unknown {
  if (part === undefined || node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) return node;
  if (Array.isArray(node)) {
    const index = Number(part);
    if (!Number.isInteger(index)) return node;
    if (!rest.length) return node.filter((_, i) => i !== index);
    const child = without(node[index], rest);
    return child === node[index] ? node : node.map((c, i) => (i === index ? child : c));
  }
  const record = node as Record<string, unknown>;
  if (!rest.length) {
    const { [part]: _removed, ...others } = record;
    return others;
  }
  const child = without(record[part], rest);
  return child === record[part] ? node : { ...record, [part]: child };
}
