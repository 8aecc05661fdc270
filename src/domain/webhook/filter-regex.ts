import { RE2JS } from 're2js';
import { Memo } from '../common/memo';

/**
 * `$regex` in webhook filters. Anyone who can reach an open listener chooses the text a
 * filter runs on, so patterns run on RE2 (re2js, pure JavaScript), whose time is linear
 * in the text: no pattern can backtrack. Linear is not free, though: on text made to
 * keep every thread of the pattern alive a test costs up to about 125 ns per character
 * and compiled instruction, so both are bounded.
 */
export const MAX_REGEX_LENGTH = 200;
/** What the `$regex` patterns of one filter may compile to together. */
export const MAX_FILTER_REGEX_INSTRUCTIONS = 128;
/**
 * Characters × instructions one filter may spend on its `$regex` tests per event (about
 * 16 ms at worst): each test reads strings up to this budget divided by the filter's
 * instructions, so at least 1,024 characters (16,384 for a pattern like `(?i)refund`).
 * A longer string does not match.
 */
export const FILTER_REGEX_BUDGET = 128 * 1024;

const compiled = new Memo<string, RE2JS | Error>(1000, (pattern) => {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
});

/** The compiled pattern, or the engine's reason for refusing it; each pattern is compiled once. */
export function compileRegex(pattern: string): RE2JS | Error {
  return compiled.get(pattern);
}

/** The size of a compiled pattern in the engine's instructions. */
export function instructionsOf(regex: RE2JS): number {
  return regex.re2().numberOfInstructions();
}

/** The longest string a filter whose patterns total `instructions` tests. */
export function maxSubjectLength(instructions: number): number {
  return Math.floor(FILTER_REGEX_BUDGET / Math.max(instructions, 1));
}

/**
 * Whether the pattern matches anywhere in `text`. A pattern the engine refuses (one saved
 * before filters ran on RE2, say) matches nothing. `find` runs the NFA or the bit-state
 * backtracker, both bounded by characters × instructions; `test` would build a lazy DFA,
 * which is faster on friendly text but several times slower on text made to defeat it.
 */
export function regexMatches(pattern: string, text: string, maxLength: number): boolean {
  const regex = compileRegex(pattern);
  if (regex instanceof Error || text.length > maxLength) return false;
  return regex.matcher(text).find();
}
