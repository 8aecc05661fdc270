import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * Every record's id is a type prefix plus a ULID: opaque to clients, globally unique,
 * sortable by creation time (so `ORDER BY id` is creation order and cursors are ids).
 */
export const ID_PREFIX = {
  destination: 'dst',
  webhook: 'whk',
  event: 'evt',
  delivery: 'dlv',
  attempt: 'att',
  apiKey: 'key',
  listener: 'lst',
  listenerRequest: 'lrq',
  tenant: 'tnt',
  syncRun: 'srn',
  bulkJob: 'job',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

/** Random bytes drawn a page at a time: ulid asks for one byte per character. */
const pool = Buffer.alloc(4096);
let offset = pool.length;
function pooledRandom(): number {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

/** A new id of `kind`; `atMs` dates it (seeding data of the past), else now. */
export function newId(kind: IdKind, atMs?: number): string {
  return `${ID_PREFIX[kind]}_${nextUlid(atMs)}`;
}

const KIND_BY_PREFIX = new Map<string, IdKind>(Object.entries(ID_PREFIX).map(([kind, prefix]) => [prefix, kind as IdKind]));

const ID_PATTERN = /^([a-z]{3})_[0-9A-HJKMNP-TV-Z]{26}$/;

/** The kind of a well-formed id, or undefined for anything else. */
export function idKind(id: string): IdKind | undefined {
  const match = ID_PATTERN.exec(id);
  return match ? KIND_BY_PREFIX.get(match[1]!) : undefined;
}

export function isIdOf(kind: IdKind, id: string): boolean {
  return idKind(id) === kind;
}
