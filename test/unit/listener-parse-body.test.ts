import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadBodyError, bodyKind, parseBody } from '../../src/domain/listener/parse-body';

describe('listener body parsing', () => {
  it('names the accepted kinds by Content-Type and nothing else', () => {
    assert.equal(bodyKind('application/json; charset=utf-8'), 'json');
    assert.equal(bodyKind('application/vnd.api+json'), 'json');
    assert.equal(bodyKind('application/xml'), 'xml');
    assert.equal(bodyKind('TEXT/XML'), 'xml');
    assert.equal(bodyKind('application/x-www-form-urlencoded'), 'form');
    for (const other of [undefined, '', 'text/plain', 'multipart/form-data; boundary=x', 'text/csv', 'application/octet-stream']) {
      assert.equal(bodyKind(other), null, String(other));
    }
  });

  it('turns XML and forms into JSON data', () => {
    assert.deepEqual(parseBody('xml', '<?xml version="1.0"?><order id="7"><line>a</line><line>b</line><total>9.5</total></order>'), {
      order: { '@id': '7', line: ['a', 'b'], total: 9.5 },
    });
    assert.deepEqual(parseBody('form', 'a=1&b=x%20y&b=z'), { a: '1', b: ['x y', 'z'] });
  });

  it('refuses DOCTYPE and entity declarations, including external entities and bombs', () => {
    const bodies = [
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>',
      '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>',
      '<!doctype html><html/>',
      '<a><!ENTITY x "y"></a>',
    ];
    for (const body of bodies) assert.throws(() => parseBody('xml', body), BadBodyError, body);
  });

  it('leaves undeclared entity references as text (entity processing is off)', () => {
    assert.deepEqual(parseBody('xml', '<a>&amp;&lt;x</a>'), { a: '&amp;&lt;x' });
  });

  it('refuses malformed JSON and XML', () => {
    assert.throws(() => parseBody('json', '{"a":'), BadBodyError);
    assert.throws(() => parseBody('xml', '<a><b></a>'), BadBodyError);
  });

  it('drops prototype-reaching keys in JSON and forms and never pollutes Object.prototype', () => {
    const json = parseBody('json', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"a":{"__proto__":{"x":1},"b":2}}');
    assert.deepEqual(json, { a: { b: 2 } });
    assert.equal(Object.getPrototypeOf(json), Object.prototype);
    const form = parseBody('form', '__proto__=x&constructor=y&prototype=z&ok=1') as Record<string, unknown>;
    assert.deepEqual(form, { ok: '1' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('refuses XML naming __proto__ (fast-xml-parser throws; we answer 400)', () => {
    assert.throws(() => parseBody('xml', '<r><__proto__><polluted>1</polluted></__proto__></r>'), BadBodyError);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('bounds nesting in JSON and XML', () => {
    assert.throws(() => parseBody('json', '['.repeat(40) + ']'.repeat(40)), /nested deeper/);
    assert.throws(() => parseBody('xml', '<a>'.repeat(40) + '1' + '</a>'.repeat(40)), BadBodyError);
    assert.doesNotThrow(() => parseBody('json', '['.repeat(10) + ']'.repeat(10)));
  });
});
