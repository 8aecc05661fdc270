import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHeaderLines, encodeHeaderLines } from '../../src/domain/delivery/header-lines';

describe('header lines: how an attempt’s headers are stored', () => {
  it('stores ordinary headers as name: value lines and reads them back in order', () => {
    const headers = [
      { name: 'content-type', value: 'application/json' },
      { name: 'webhook-signature', value: 'v1,abc= v1,def=' },
      { name: 'X-Odd', value: 'a: b: c' },
      { name: 'X-Empty', value: '' },
      { name: 'X-Repeated', value: '1' },
      { name: 'X-Repeated', value: '2' },
    ];
    const text = encodeHeaderLines(headers);
    assert.equal(text.split('\n')[0], 'content-type: application/json');
    assert.deepEqual(decodeHeaderLines(text), headers);
    assert.ok(text.length < JSON.stringify(headers).length * 0.75, 'smaller than JSON');
  });

  it('falls back to JSON for what lines cannot hold exactly, and reads JSON stored before', () => {
    for (const headers of [
      [{ name: 'X-Broken', value: 'a\r\nInjected: yes' }],
      [{ name: 'not a token', value: 'x' }],
      [{ name: '[bracket', value: 'x' }],
      [{ name: 'X-Padded', value: ' spaced ' }],
    ]) {
      const text = encodeHeaderLines(headers);
      assert.ok(text.startsWith('['), JSON.stringify(headers));
      assert.deepEqual(decodeHeaderLines(text), headers);
    }
    assert.deepEqual(decodeHeaderLines('[{"name":"a","value":"b"}]'), [{ name: 'a', value: 'b' }]);
    assert.deepEqual(decodeHeaderLines(encodeHeaderLines([])), []);
    assert.deepEqual(decodeHeaderLines('[]'), []);
  });
});
