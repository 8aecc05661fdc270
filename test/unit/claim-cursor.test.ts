import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClaimCursor, FULL_SCAN_MS } from '../../src/dispatch/claim-cursor';

describe('ClaimCursor', () => {
  const t0 = 1_000_000;

  it('starts from the beginning, then after the last row of each full claim', () => {
    const cursor = new ClaimCursor();
    assert.equal(cursor.from(t0), null);
    cursor.passed({ dueAt: 10, id: 'b' }, true);
    assert.deepEqual(cursor.from(t0 + 1), { dueAt: 10, id: 'b' });
    cursor.passed({ dueAt: 10, id: 'c' }, true);
    assert.deepEqual(cursor.from(t0 + 2), { dueAt: 10, id: 'c' });
  });

  it('keeps the furthest position when two claims end out of order', () => {
    const cursor = new ClaimCursor();
    cursor.from(t0);
    cursor.passed({ dueAt: 20, id: 'a' }, true);
    cursor.passed({ dueAt: 10, id: 'z' }, true);
    assert.deepEqual(cursor.from(t0 + 1), { dueAt: 20, id: 'a' });
  });

  it('goes back to the beginning after a short claim (caught up)', () => {
    const cursor = new ClaimCursor();
    cursor.from(t0);
    cursor.passed({ dueAt: 10, id: 'a' }, true);
    cursor.passed({ dueAt: 11, id: 'a' }, false);
    assert.equal(cursor.from(t0 + 1), null);
    cursor.passed(null, false);
    assert.equal(cursor.from(t0 + 2), null);
  });

  it(`scans from the beginning at least every ${FULL_SCAN_MS} ms while claims stay full`, () => {
    const cursor = new ClaimCursor();
    assert.equal(cursor.from(t0), null);
    cursor.passed({ dueAt: 10, id: 'a' }, true);
    assert.notEqual(cursor.from(t0 + FULL_SCAN_MS - 1), null);
    assert.equal(cursor.from(t0 + FULL_SCAN_MS), null, 'a full scan is due');
    cursor.passed({ dueAt: 30, id: 'a' }, true);
    assert.deepEqual(cursor.from(t0 + FULL_SCAN_MS + 1), { dueAt: 30, id: 'a' }, 'and the clock starts again from that scan');
  });
});
