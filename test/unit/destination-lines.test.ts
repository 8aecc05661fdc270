import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DestinationLines } from '../../src/dispatch/destination-lines';

describe('when the dispatcher claims a limited destination’s line (DestinationLines)', () => {
  const now = 1_000_000;

  it('claims a touched line once, and not while its claim runs', () => {
    const lines = new DestinationLines();
    assert.deepEqual(lines.take(['a', 'b'], now), [], 'nothing touched: wait for the poll');
    lines.touch('a');
    assert.deepEqual(lines.take(['a', 'b'], now), ['a']);
    lines.touch('a');
    assert.deepEqual(lines.take(['a'], now), [], 'being claimed');
    lines.done('a', null);
    assert.deepEqual(lines.take(['a'], now), ['a'], 'touched while its claim ran: claimed again');
    lines.done('a', null);
    assert.deepEqual(lines.take(['a'], now), []);
  });

  it('keeps a later time when the line is claimed earlier, and wakes for it', () => {
    const lines = new DestinationLines();
    lines.touchAt('a', now + 500);
    lines.touch('a');
    assert.deepEqual(lines.take(['a'], now), ['a']);
    lines.done('a', null);
    assert.equal(lines.nextAfter(['a'], now), now + 500);
    assert.deepEqual(lines.take(['a'], now + 499), []);
    assert.deepEqual(lines.take(['a'], now + 500), ['a']);
  });

  it('wakes for the bucket’s next token, and only for the lines asked about', () => {
    const lines = new DestinationLines();
    lines.touch('held');
    assert.deepEqual(lines.take(['a'], now), []);
    assert.equal(lines.nextAfter(['a'], now), null, 'a past touch of a held line does not hide later times');
    lines.touch('a');
    lines.take(['a'], now);
    lines.done('a', now + 200);
    assert.equal(lines.nextAfter(['a', 'held'], now), now + 200);
  });

  it('says whether a line is due now, not counting one being claimed', () => {
    const lines = new DestinationLines();
    lines.touchAt('a', now + 100);
    assert.equal(lines.anyDue(['a'], now), false);
    assert.equal(lines.anyDue(['a'], now + 100), true);
    lines.touch('b');
    assert.equal(lines.anyDue(['a'], now), false, 'only the lines asked about');
    lines.take(['b'], now);
    lines.touch('b');
    assert.equal(lines.anyDue(['b'], now), false, 'being claimed');
  });

  it('forgets the lines of destinations no longer limited', () => {
    const lines = new DestinationLines();
    lines.touch('a');
    lines.touch('b');
    lines.keep(['b']);
    assert.deepEqual(lines.take(['a', 'b'], now), ['b']);
  });
});
