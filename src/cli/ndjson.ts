import type { EventPublishInput } from '@hookgraph/client';

/** One line of a publish file: the event it asks for, or why it is refused. */
export type NdjsonLine = { line: number; bytes: number } & ({ kind: 'event'; input: EventPublishInput } | { kind: 'refused'; reason: string });

const STRING_FIELDS = ['entityId', 'entityUrl', 'idempotencyKey', 'orderingKey'] as const;

/** `{"type", "data"?, "entityId"?, "idempotencyKey"?, "entityUrl"?, "orderingKey"?}` as a publish input, or why not. */
export function parseEventLine(text: string): EventPublishInput | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const line = value as Record<string, unknown>;
  if (typeof line.type !== 'string' || line.type === '') return '"type" must be a non-empty string';
  const input: EventPublishInput = { type: line.type, data: line.data };
  for (const field of STRING_FIELDS) {
    const v = line[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return `"${field}" must be a string`;
    input[field] = v;
  }
  return input;
}

/** The lines of an NDJSON stream, numbered from 1; blank lines are skipped. */
export async function* readEventLines(lines: AsyncIterable<string>): AsyncGenerator<NdjsonLine> {
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const bytes = Buffer.byteLength(text) + 1;
    if (text.trim() === '') continue;
    const parsed = parseEventLine(text);
    yield typeof parsed === 'string' ? { line, bytes, kind: 'refused', reason: parsed } : { line, bytes, kind: 'event', input: parsed };
  }
}
