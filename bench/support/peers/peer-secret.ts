import { randomBytes } from 'node:crypto';

/** A fresh Standard Webhooks secret, as hookgraph issues them. */
export function newPeerSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}
