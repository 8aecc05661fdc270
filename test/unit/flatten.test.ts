import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flatten, toFormUrlEncoded } from '../../src/dispatch/request/flatten';

describe('flatten', () => {
  it('joins nested keys with __ by default', () => {
    assert.deepEqual(flatten({ meta: { rowNumber: 347, syncOp: 'upsert' }, data: { email: 'ryan@x.org', active: 1 } }), [
      ['meta__rowNumber', '347'],
      ['meta__syncOp', 'upsert'],
      ['data__email', 'ryan@x.org'],
      ['data__active', '1'],
    ]);
  });

  it('joins with another separator when given (valmi.io uses one underscore)', () => {
    assert.deepEqual(flatten({ _valmi_meta: { _valmi_row_num: 347 }, a: [{ b: 1 }] }, '_'), [
      ['_valmi_meta__valmi_row_num', '347'],
      ['a_0_b', '1'],
    ]);
  });

  it('indexes arrays, writes null as empty, booleans as text, drops undefined and empty containers', () => {
    assert.deepEqual(flatten({ items: [{ sku: 'a' }, 'b'], none: null, yes: true, gone: undefined, empty: {}, list: [] }), [
      ['items__0__sku', 'a'],
      ['items__1', 'b'],
      ['none', ''],
      ['yes', 'true'],
    ]);
  });

  it('form-encodes the pairs (spaces, @, &, = and unicode escaped)', () => {
    assert.equal(toFormUrlEncoded({ a: { b: 'x y&z=1' }, e: 'ryan@x.org', u: 'é' }), 'a__b=x+y%26z%3D1&e=ryan%40x.org&u=%C3%A9');
    const back = new URLSearchParams(toFormUrlEncoded({ a: { b: 'x y&z=1' } }));
    assert.equal(back.get('a__b'), 'x y&z=1');
  });
});
