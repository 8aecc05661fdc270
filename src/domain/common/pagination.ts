import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { UserError } from './user-error';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<T> {
  nodes: T[];
  cursorOf(node: T): string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
  /** Counted only when a client asks for totalCount. */
  count(): Promise<number>;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const encodeCursor = (id: string) => Buffer.from(`c:${id}`).toString('base64url');

function decodeCursor(cursor: string, field: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('c:') || raw.length < 4) throw new UserError([field], 'is not a cursor from this API', 'INVALID');
  return raw.slice(2);
}

function pageSize(value: number | null | undefined, field: string): number | undefined {
  if (value == null) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new UserError([field], `must be between 1 and ${MAX_PAGE_SIZE}`, 'OUT_OF_RANGE');
  }
  return value;
}

/**
 * Relay cursor pagination over records whose `id` sorts by creation time. Lists are
 * newest first; `first/after` walks towards older records, `last/before` towards newer.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(query: SelectQueryBuilder<T>, args: PageArgs): Promise<Page<T>> {
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  if (first !== undefined && last !== undefined) throw new UserError(['last'], 'use either first or last, not both', 'INVALID');
  const alias = query.alias;
  const counter = query.clone();
  const backwards = last !== undefined;
  const limit = (backwards ? last : first) ?? DEFAULT_PAGE_SIZE;

  if (args.after) query.andWhere(`${alias}.id < :afterId`, { afterId: decodeCursor(args.after, 'after') });
  if (args.before) query.andWhere(`${alias}.id > :beforeId`, { beforeId: decodeCursor(args.before, 'before') });
  query.orderBy(`${alias}.id`, backwards ? 'ASC' : 'DESC').take(limit + 1);
  const rows = await query.getMany();
  const more = rows.length > limit;
  const nodes = rows.slice(0, limit);
  if (backwards) nodes.reverse();

  let counted: Promise<number> | undefined;
  return {
    nodes,
    cursorOf: (node) => encodeCursor(node.id),
    hasNextPage: backwards ? Boolean(args.before) : more,
    hasPreviousPage: backwards ? more : Boolean(args.after),
    startCursor: nodes.length ? encodeCursor(nodes[0]!.id) : null,
    endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!.id) : null,
    count: () => (counted ??= counter.getCount()),
  };
}
