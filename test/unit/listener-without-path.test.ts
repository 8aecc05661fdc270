import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutPath } from '../../src/domain/listener/without-path';

describe("withoutPath (a TOKEN listener's token leaves the body)", () => {
  it('removes the value at a dotted path from a copy, leaving the input as it was', () => {
    const data = { auth: { token: 't0k', user: 'u' }, items: [{ token: 'a' }, { token: 'b' }], n: 1 };
    const copy = structuredClone(data);
    assert.deepEqual(withoutPath(data, 'auth.token'), { auth: { user: 'u' }, items: data.items, n: 1 });
    assert.deepEqual(withoutPath(data, 'items.1.token'), { auth: data.auth, items: [{ token: 'a' }, {}], n: 1 });
    assert.deepEqual(withoutPath(data, 'items.0'), { auth: data.auth, items: [{ token: 'b' }], n: 1 });
    assert.deepEqual(data, copy);
  });

  it('gives the body itself back when the path leads nowhere', () => {
    const data = { a: [1, 2], s: 'text' };
    assert.equal(withoutPath(data, 'b.c'), data);
    assert.equal(withoutPath(data, 'a.length'), data);
    assert.equal(withoutPath(data, 's.0'), data);
    assert.equal(withoutPath('plain', 'a'), 'plain');
  });
});
