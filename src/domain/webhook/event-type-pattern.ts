import { UserError } from '../common/user-error';

/**
 * Which event types a webhook takes. A pattern is one type, or ends in `.*` and takes
 * every type under that prefix at any depth, or is `*` and takes all. Matching is a
 * string comparison per pattern (matchesEventType): fan-out runs it on every publish.
 */
const TYPE_PATTERN = /^(\*|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?)$/;
const EVENT_TYPE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function validateEventTypePatterns(patterns: string[], field = 'eventTypes'): string[] {
  if (patterns.length === 0) throw new UserError([field], 'at least one event type pattern is required', 'INVALID_PATTERN');
  if (patterns.length > 100) throw new UserError([field], 'at most 100 event type patterns', 'INVALID_PATTERN');
  for (const [i, pattern] of patterns.entries()) {
    if (pattern.length > 200 || !TYPE_PATTERN.test(pattern)) {
      throw new UserError(
        [field, String(i)],
        `"${pattern}" is not a valid pattern: use an exact type like order.created, a prefix like order.*, or *`,
        'INVALID_PATTERN',
      );
    }
  }
  return [...new Set(patterns)];
}

/** Dot-separated words of letters, digits, `_` and `-`, up to 200 characters: safe in a header. */
export function isEventType(type: unknown): type is string {
  return typeof type === 'string' && type.length > 0 && type.length <= 200 && EVENT_TYPE.test(type);
}

export function validateEventType(type: string, field = 'type'): void {
  if (!isEventType(type)) {
    throw new UserError([field], `"${type}" is not a valid event type: dot-separated words like order.created`, 'INVALID');
  }
}

export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
    return pattern === type;
  });
}
