import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFilter, readPath, validateFilter } from '../../src/domain/webhook/filter';
import { UserError } from '../../src/domain/shared/user-error';

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
    assert.equal(matchesFilter({ 'toString': { $exists: true } }, {}), false);
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
      assert.throws(() => validateFilter(filter), (e: unknown) => e instanceof UserError && e.code === 'INVALID_FILTER', JSON.stringify(filter));
    }
  });
});
