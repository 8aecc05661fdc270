import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Memo } from '../../src/domain/common/memo';

describe('Memo', () => {
  it('computes a key once, and again after a throw', () => {
    const computed: string[] = [];
    const memo = new Memo<string, string>(10, (key) => {
      computed.push(key);
      if (key === 'bad') throw new Error('refused');
      return key.toUpperCase();
    });
    assert.equal(memo.get('a'), 'A');
    assert.equal(memo.get('a'), 'A');
    assert.throws(() => memo.get('bad'), /refused/);
    assert.throws(() => memo.get('bad'), /refused/);
    assert.deepEqual(computed, ['a', 'bad', 'bad']);
  });

  it('keeps null values, and starts over past its capacity', () => {
    let calls = 0;
    const memo = new Memo<number, number | null>(2, (key) => {
      calls += 1;
      return key === 0 ? null : key;
    });
    memo.get(0);
    memo.get(0);
    assert.equal(calls, 1, 'a null value is remembered');
    memo.get(1);
    memo.get(2); // the third key: the memo starts over, keeping only 2
    memo.get(0);
    assert.equal(calls, 4, 'after starting over, an earlier key is computed again');
  });
});
