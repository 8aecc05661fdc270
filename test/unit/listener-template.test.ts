import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplate } from '../../src/domain/listener/template';

const context = { data: { name: 'A "b" \\ <c>&', n: 7, obj: { x: 1 }, list: [1, 2] }, event: { id: 'evt_1' } };

describe('listener response templates', () => {
  it('substitutes dotted paths, escaped for JSON', () => {
    const out = renderTemplate('{"id":"{{event.id}}","name":"{{ data.name }}","n":{{data.n}}}', context, 'application/json');
    assert.deepEqual(JSON.parse(out), { id: 'evt_1', name: 'A "b" \\ <c>&', n: 7 });
  });

  it('escapes for XML/HTML, leaves text as is, renders missing values empty', () => {
    assert.equal(renderTemplate('<n>{{data.name}}</n>', context, 'application/xml'), '<n>A &quot;b&quot; \\ &lt;c&gt;&amp;</n>');
    assert.equal(renderTemplate('<p>{{data.name}}</p>', context, 'text/html'), '<p>A &quot;b&quot; \\ &lt;c&gt;&amp;</p>');
    assert.equal(renderTemplate('{{data.name}}', context, 'text/plain'), 'A "b" \\ <c>&');
    assert.equal(renderTemplate('[{{data.missing}}]', context, null), '[]');
  });

  it('accepts the triple-stash but escapes it too', () => {
    assert.equal(renderTemplate('<n>{{{data.name}}}</n>', context, 'application/xml'), '<n>A &quot;b&quot; \\ &lt;c&gt;&amp;</n>');
  });

  it('runs no code and reaches nothing beyond the data', () => {
    assert.equal(renderTemplate('{{data.constructor}}|{{data.__proto__}}|{{data.name.length}}', context, null), '||');
    assert.equal(renderTemplate('{{#each data.list}}x{{/each}}', context, null), '{{#each data.list}}x{{/each}}');
    assert.equal(renderTemplate('{{data.obj}}', context, 'text/plain'), '{"x":1}');
  });
});
