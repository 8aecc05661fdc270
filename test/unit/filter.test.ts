import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFilter, readPath, validateFilter } from '../../src/domain/webhook/filter';
import { compileRegex, FILTER_REGEX_BUDGET, instructionsOf, MAX_FILTER_REGEX_INSTRUCTIONS } from '../../src/domain/webhook/filter-regex';
import { UserError } from '../../src/domain/common/user-error';

const invalidFilter = (message: RegExp) => (e: unknown) => e instanceof UserError && e.code === 'INVALID_FILTER' && message.test(e.message);

const order = { amount: 120, status: 'paid', customer: { country: 'DE', tags: ['vip'] }, note: null, items: [{ sku: 'A1' }] };

describe('webhook filters', () => {
  it('matches every operator on dotted paths', () => {
    const yes: Record<string, unknown>[] = [
      { status: 'paid' },
      { amount: { $eq: 120 } },
      { status: { $neq: 'refunded' } },
      { amount: { $gt: 100, $lte: 120 } },
      { amount: { $gte: 120, $lt: 121 } },
      { 'customer.country': { $in: ['DE', 'FR'] } },
      { 'customer.country': { $nin: ['US'] } },
      { note: { $exists: true } },
      { missing: { $exists: false } },
      { status: { $regex: '^pa' } },
      { 'customer.tags': ['vip'] },
      { 'items.0.sku': 'A1' },
      { $and: [{ status: 'paid' }, { amount: { $gt: 1 } }] },
      { $or: [{ status: 'open' }, { 'customer.country': 'DE' }] },
    ];
    for (const filter of yes) assert.equal(matchesFilter(validateFilter(filter), order), true, JSON.stringify(filter));
    const no: Record<string, unknown>[] = [
      { status: 'open' },
      { amount: { $gt: 120 } },
      { amount: { $lt: '200' } },
      { 'customer.country': { $in: ['US'] } },
      { missing: { $exists: true } },
      { status: { $regex: '^x' } },
      { $or: [{ status: 'open' }, { amount: 1 }] },
      { 'customer.tags': ['other'] },
    ];
    for (const filter of no) assert.equal(matchesFilter(validateFilter(filter), order), false, JSON.stringify(filter));
  });

  it('does not read inherited properties', () => {
    assert.equal(readPath({}, 'constructor'), undefined);
    assert.equal(readPath({ a: {} }, 'a.__proto__'), undefined);
    assert.equal(matchesFilter({ toString: { $exists: true } }, {}), false);
  });

  it('refuses malformed filters with INVALID_FILTER', () => {
    const bad: unknown[] = [
      [],
      'status',
      { status: { $like: 'x' } },
      { $nor: [] },
      { $or: [] },
      { $and: 'x' },
      { amount: { $in: 3 } },
      { note: { $exists: 'yes' } },
      { status: { $regex: '(' } },
      { status: { $regex: 'a'.repeat(500) } },
      { amount: { $gt: {} } },
    ];
    for (const filter of bad) {
      assert.throws(
        () => validateFilter(filter),
        (e: unknown) => e instanceof UserError && e.code === 'INVALID_FILTER',
        JSON.stringify(filter),
      );
    }
  });

  it('runs $regex in linear time: a pattern that backtracks for seconds in RegExp answers at once', () => {
    const filter = validateFilter({ s: { $regex: '(a+)+$' } });
    // RegExp needs 2^n steps here (11 to 18 s for 27 a's); RE2 reads the text once.
    const started = performance.now();
    assert.equal(matchesFilter(filter, { s: `${'a'.repeat(27)}!` }), false);
    assert.equal(matchesFilter(filter, { s: 'a'.repeat(2000) }), true);
    assert.ok(performance.now() - started < 1000, 'well under the seconds a backtracking engine takes');
  });

  it('refuses $regex syntax the linear engine does not have, and too complex patterns', () => {
    assert.throws(() => validateFilter({ s: { $regex: '(a)\\1' } }), invalidFilter(/not supported.*RE2 syntax/));
    assert.throws(() => validateFilter({ s: { $regex: 'a(?=b)' } }), invalidFilter(/not supported/));
    assert.throws(() => validateFilter({ s: { $regex: '(?<=a)b' } }), invalidFilter(/not supported/));
    assert.throws(() => validateFilter({ s: { $regex: '.{300}' } }), invalidFilter(/instructions; the limit is 128/));
    // The limit holds for the patterns of a filter together.
    const half = 'a{100}';
    assert.ok(instructionsOf(compileRegex(half) as never) * 3 > MAX_FILTER_REGEX_INSTRUCTIONS);
    assert.doesNotThrow(() => validateFilter({ s: { $regex: half } }));
    assert.throws(
      () => validateFilter({ $or: [{ s: { $regex: half } }, { t: { $regex: half } }, { u: { $regex: half } }] }),
      invalidFilter(/the limit is 128/),
    );
    // What RE2 and RegExp share keeps working: classes, anchors, alternation, (?i), named groups.
    for (const [pattern, text] of [
      ['^[0-9a-f]{8}-', '0123abcd-x'],
      ['(?i)^(urgent|critical)$', 'Critical'],
      ['@example\\.com$', 'a@example.com'],
      ['(?P<n>\\d+)', 'x42'],
    ]) {
      assert.equal(matchesFilter(validateFilter({ s: { $regex: pattern } }), { s: text }), true, pattern);
    }
  });

  it('compiles each pattern once', () => {
    assert.equal(compileRegex('^once-[a-z]+$'), compileRegex('^once-[a-z]+$'));
  });

  it("tests strings up to the filter's budget: longer ones do not match", () => {
    const small = validateFilter({ s: { $regex: 'x' } });
    const limit = Math.floor(FILTER_REGEX_BUDGET / instructionsOf(compileRegex('x') as never));
    assert.equal(matchesFilter(small, { s: 'x'.padStart(limit, '-') }), true);
    assert.equal(matchesFilter(small, { s: 'x'.padStart(limit + 1, '-') }), false);
    // At the instruction limit a filter still reads 1,024 characters.
    assert.ok(FILTER_REGEX_BUDGET / MAX_FILTER_REGEX_INSTRUCTIONS >= 1024);
  });

  it('matches nothing with a stored pattern the engine refuses (saved before filters ran on RE2)', () => {
    assert.equal(matchesFilter({ s: { $regex: '(a)\\1' } }, { s: 'aa' }), false);
  });
});
