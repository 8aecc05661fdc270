import { createHash, randomBytes } from 'node:crypto';

/** The token of a listener's public URL `/in/<token>`: 24 random bytes, unguessable. */
export function newListenerToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A token as stored and looked up: its SHA-256, in hex. 192 random bits need neither a
 * salt nor a key to stay out of reach of guessing, and without a key the lookup (and the
 * migration that hashed the tokens stored before) works with no master key at hand.
 */
export function hashListenerToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
