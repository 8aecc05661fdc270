import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Opened secrets kept in memory (every delivery signs; the key is in memory anyway). */
const OPENED_CACHE_SIZE = 1000;

/**
 * AES-256-GCM for secrets at rest (signing secrets, passwords, tokens). The stored form
 * is `v1:<base64 iv|tag|ciphertext>`; the plaintext never leaves this module in logs.
 */
export class SecretBox {
  private readonly opened = new Map<string, string>();

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  /**
   * A 32-byte key for another use (`purpose` names it), derived from the master key with
   * HKDF-SHA256: each use gets its own key, and none of them reveals the master key.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `hookgraph ${purpose}`, 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): string {
    const hit = this.opened.get(sealed);
    if (hit !== undefined) return hit;
    const plaintext = this.decrypt(sealed);
    if (this.opened.size >= OPENED_CACHE_SIZE) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(sealed, plaintext);
    return plaintext;
  }

  private decrypt(sealed: string): string {
    const [version, payload] = sealed.split(':', 2);
    if (version !== VERSION || !payload) throw new Error('unrecognised sealed secret format');
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** The most characters a hint shows, of a long secret. */
const HINT_CHARACTERS = 4;

/**
 * What a secret looks like after creation: its last characters, at most 4 and never more
 * than a quarter of it, so a short secret shows none (`…`).
 */
export function secretHint(secret: string): string {
  const characters = [...secret];
  const shown = Math.min(HINT_CHARACTERS, Math.floor(characters.length / 4));
  return `…${characters.slice(characters.length - shown).join('')}`;
}

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
