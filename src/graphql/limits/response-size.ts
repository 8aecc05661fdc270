import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors';

/**
 * Whether `value` written as JSON would take more than `limit` bytes. Counting stops as
 * soon as it does, so an answer far over the limit costs no more to measure than one
 * at the limit, and nothing is serialized. String escapes are not counted: the measure
 * can fall short of the real size by those.
 */
export function jsonExceeds(value: unknown, limit: number): boolean {
  let size = 0;
  // A stack rather than recursion: event data may nest deeper than the call stack allows.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      size += Buffer.byteLength(next) + 2;
    } else if (Array.isArray(next)) {
      size += 1 + next.length;
      for (const item of next) pending.push(item);
    } else if (next !== null && typeof next === 'object') {
      size += 2;
      for (const [key, item] of Object.entries(next)) {
        if (item === undefined) continue;
        size += Buffer.byteLength(key) + 4;
        pending.push(item);
      }
    } else {
      size += String(next).length;
    }
    if (size > limit) return true;
  }
  return false;
}

/** What a client gets instead of an answer larger than `limit` bytes. */
export function responseTooLarge(limit: number): GraphQLFormattedError {
  return {
    message: `the answer is larger than ${limit} bytes; ask for smaller pages (first/last) or fewer large fields`,
    extensions: { code: ErrorCode.RESPONSE_TOO_LARGE },
  };
}
