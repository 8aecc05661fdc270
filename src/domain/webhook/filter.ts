import { UserError } from '../common/user-error';
import { compileRegex, instructionsOf, MAX_FILTER_REGEX_INSTRUCTIONS, MAX_REGEX_LENGTH, maxSubjectLength, regexMatches } from './filter-regex';

/**
 * A webhook's payload filter, as stored: an object whose keys are dotted paths into the
 * event's data (each with a value to equal, or an object of comparison operators) or
 * `$and` / `$or` over nested filters. It is validated once, when the webhook is saved, so
 * that matching on every publish needs no checks; nesting and `$regex` cost are bounded
 * there, which keeps a hostile filter's matching time bounded.
 */
export type Filter = { [key: string]: unknown };

const COMPARISONS = ['$eq', '$neq', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$regex'] as const;
type Comparison = (typeof COMPARISONS)[number];
const MAX_DEPTH = 8;

export function validateFilter(filter: unknown, field = 'filter'): Filter {
  const fail = (message: string): never => {
    throw new UserError([field], message, 'INVALID_FILTER');
  };
  const walk = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) fail(`filter is nested deeper than ${MAX_DEPTH} levels`);
    if (!isPlainObject(node)) fail('a filter must be a JSON object');
    for (const [key, value] of Object.entries(node as Filter)) {
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value) || value.length === 0) fail(`${key} takes a non-empty array of filters`);
        for (const child of value as unknown[]) walk(child, depth + 1);
      } else if (key.startsWith('$')) {
        fail(`unknown operator ${key} at the top of a filter; use it under a field path`);
      } else {
        if (!/^[^.\s]+(\.[^.\s]+)*$/.test(key)) fail(`"${key}" is not a dotted path`);
        if (isComparisons(value)) {
          for (const [op, operand] of Object.entries(value)) validateComparison(op, operand, fail);
        }
      }
    }
  };
  walk(filter, 0);
  const instructions = regexInstructions(filter as Filter);
  if (instructions > MAX_FILTER_REGEX_INSTRUCTIONS) {
    fail(
      `the $regex patterns compile to ${instructions} instructions; the limit is ${MAX_FILTER_REGEX_INSTRUCTIONS} ` +
        '(large counted repetitions such as .{500} cost one per repeat)',
    );
  }
  return filter as Filter;
}

function validateComparison(op: string, operand: unknown, fail: (message: string) => never): void {
  if (!(COMPARISONS as readonly string[]).includes(op)) {
    fail(`unknown operator ${op}; use one of ${COMPARISONS.join(' ')}`);
  }
  switch (op as Comparison) {
    case '$in':
    case '$nin':
      if (!Array.isArray(operand)) fail(`${op} takes an array`);
      break;
    case '$exists':
      if (typeof operand !== 'boolean') fail('$exists takes true or false');
      break;
    case '$regex': {
      if (typeof operand !== 'string' || operand.length > MAX_REGEX_LENGTH) {
        fail(`$regex takes a string of at most ${MAX_REGEX_LENGTH} characters`);
      }
      const regex = compileRegex(operand as string);
      if (regex instanceof Error) {
        fail(`$regex "${operand as string}" is not supported: ${regex.message} (filters use RE2 syntax: no lookaround or backreferences)`);
      }
      break;
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      if (typeof operand !== 'number' && typeof operand !== 'string') fail(`${op} takes a number or a string`);
      break;
    case '$eq':
    case '$neq':
      break;
  }
}

export function matchesFilter(filter: Filter | null | undefined, data: unknown): boolean {
  if (!filter) return true;
  return matches(filter, data, regexSubjectLimit(filter));
}

function matches(filter: Filter, data: unknown, maxRegexSubject: number): boolean {
  return Object.entries(filter).every(([key, value]) => {
    if (key === '$and') return (value as Filter[]).every((f) => matches(f, data, maxRegexSubject));
    if (key === '$or') return (value as Filter[]).some((f) => matches(f, data, maxRegexSubject));
    const actual = readPath(data, key);
    if (isComparisons(value)) {
      return Object.entries(value).every(([op, operand]) => compare(op as Comparison, actual, operand, maxRegexSubject));
    }
    return compare('$eq', actual, value, maxRegexSubject);
  });
}

/** Per filter object: webhooks are loaded once and matched against many events. */
const subjectLimits = new WeakMap<Filter, number>();

function regexSubjectLimit(filter: Filter): number {
  let limit = subjectLimits.get(filter);
  if (limit === undefined) {
    limit = maxSubjectLength(regexInstructions(filter));
    subjectLimits.set(filter, limit);
  }
  return limit;
}

/** The instructions all `$regex` patterns of a filter compile to (refused patterns count none). */
function regexInstructions(filter: Filter): number {
  let total = 0;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      for (const child of value as Filter[]) total += regexInstructions(child);
    } else if (isComparisons(value) && typeof value.$regex === 'string') {
      const regex = compileRegex(value.$regex);
      if (!(regex instanceof Error)) total += instructionsOf(regex);
    }
  }
  return total;
}

function isComparisons(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'));
}

function compare(op: Comparison, actual: unknown, operand: unknown, maxRegexSubject: number): boolean {
  switch (op) {
    case '$eq':
      return deepEqual(actual, operand);
    case '$neq':
      return !deepEqual(actual, operand);
    case '$gt':
      return ordered(actual, operand, (a, b) => a > b);
    case '$gte':
      return ordered(actual, operand, (a, b) => a >= b);
    case '$lt':
      return ordered(actual, operand, (a, b) => a < b);
    case '$lte':
      return ordered(actual, operand, (a, b) => a <= b);
    case '$in':
      return (operand as unknown[]).some((v) => deepEqual(actual, v));
    case '$nin':
      return !(operand as unknown[]).some((v) => deepEqual(actual, v));
    case '$exists':
      return (actual !== undefined) === operand;
    case '$regex':
      return typeof actual === 'string' && regexMatches(operand as string, actual, maxRegexSubject);
  }
}

function ordered(actual: unknown, operand: unknown, test: (a: number | string, b: number | string) => boolean): boolean {
  if (typeof actual === 'number' && typeof operand === 'number') return test(actual, operand);
  if (typeof actual === 'string' && typeof operand === 'string') return test(actual, operand);
  return false;
}

/** Reads `a.b.0.c` from nested objects and arrays; own properties only. */
export function readPath(data: unknown, path: string): unknown {
  let node: unknown = data;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Filter)[k], (b as Filter)[k]));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
