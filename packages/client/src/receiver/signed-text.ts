import { timingSafeEqual } from 'node:crypto';

/** A signed payload as text: hookgraph signs the UTF-8 text of the body or query it sends. */
export function signedText(payload: string | Uint8Array): string {
  return typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
}

/** Compares two signatures in constant time (for equal lengths; a length says nothing of the key). */
export function sameSignature(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
