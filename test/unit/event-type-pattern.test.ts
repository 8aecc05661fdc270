import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesEventType, validateEventTypePatterns } from '../../src/domain/webhook/event-type-pattern';
import { UserError } from '../../src/domain/common/user-error';

describe('event type patterns', () => {
  it('matches exact types, prefixes and *', () => {
    assert.equal(matchesEventType(['order.created'], 'order.created'), true);
    assert.equal(matchesEventType(['order.created'], 'order.updated'), false);
    assert.equal(matchesEventType(['order.*'], 'order.created'), true);
    assert.equal(matchesEventType(['order.*'], 'order.item.added'), true);
    assert.equal(matchesEventType(['order.*'], 'orders.created'), false);
    assert.equal(matchesEventType(['order.*'], 'order'), false);
    assert.equal(matchesEventType(['*'], 'anything.at.all'), true);
    assert.equal(matchesEventType(['invoice.paid', 'order.*'], 'invoice.paid'), true);
  });

  it('refuses malformed patterns and de-duplicates', () => {
    for (const bad of [[], [''], ['order.'], ['*.created'], ['order.*.x'], ['or der'], ['order**']]) {
      assert.throws(
        () => validateEventTypePatterns(bad),
        (e: unknown) => e instanceof UserError && e.code === 'INVALID_PATTERN',
        JSON.stringify(bad),
      );
    }
    assert.deepEqual(validateEventTypePatterns(['a.b', 'a.b', '*']), ['a.b', '*']);
  });
});
