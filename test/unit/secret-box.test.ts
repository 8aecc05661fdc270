import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SecretBox, newSigningSecret, secretHint } from '../../src/domain/secrets/secret-box';

describe('secrets at rest', () => {
  it('seals with AES-256-GCM and opens only with the same key', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('hunter2');
    assert.match(sealed, /^v1:/);
    assert.ok(!sealed.includes('hunter2'));
    assert.notEqual(box.seal('hunter2'), sealed, 'a fresh IV each time');
    assert.equal(box.open(sealed), 'hunter2');
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed));
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.throws(() => box.open(tampered));
  });

  it('makes Standard Webhooks secrets and hints', () => {
    const secret = newSigningSecret();
    assert.match(secret, /^whsec_/);
    assert.equal(Buffer.from(secret.slice(6), 'base64').length, 32);
    assert.equal(secretHint('abcdefghijklmnop'), '…mnop', 'at most 4 characters');
    assert.equal(secretHint('abcdefgh'), '…gh', 'never more than a quarter');
    assert.equal(secretHint('abc'), '…', 'a short secret shows nothing');
    assert.equal(secretHint('ééééé🔑🔑🔑'), '…🔑🔑', 'characters, not UTF-16 units');
  });
});
