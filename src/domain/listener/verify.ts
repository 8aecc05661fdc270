import { createHmac } from 'node:crypto';
import { readPath } from '../webhook/filter';
import { headerOf, type InboundRequest } from './inbound-request';
import type { Verification } from './listener.entity';
import { DEFAULT_HMAC_HEADER } from './listener.defaults';
import { verifyProvider, type VerifyResult } from './providers';
import { safeEqual } from './safe-equal';

const ALGORITHMS = { SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' } as const;

/**
 * Whether a request proves it comes from the listener's sender. `secret` is the
 * unsealed password, HMAC key, token or provider secret. SECRET_URL needs nothing more: finding the
 * listener by its unguessable token was the proof.
 */
export function verifyRequest(v: Verification, secret: string | null, req: InboundRequest): VerifyResult {
  switch (v.type) {
    case 'NONE':
    case 'SECRET_URL':
      return { ok: true };
    case 'BASIC': {
      const match = /^Basic\s+(\S+)$/i.exec(headerOf(req, 'authorization') ?? '');
      if (!match) return { ok: false, reason: 'missing basic credentials' };
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const userOk = safeEqual(decoded.slice(0, colon), v.username ?? '');
      const passOk = safeEqual(decoded.slice(colon + 1), secret ?? '');
      return colon >= 0 && userOk && passOk ? { ok: true } : { ok: false, reason: 'wrong basic credentials' };
    }
    case 'HMAC': {
      const presented = headerOf(req, v.header ?? DEFAULT_HMAC_HEADER);
      if (!presented) return { ok: false, reason: `missing ${v.header ?? DEFAULT_HMAC_HEADER} header` };
      const digest = createHmac(ALGORITHMS[v.algorithm ?? 'SHA256'], secret ?? '')
        .update(req.rawBody)
        .digest(v.encoding === 'BASE64' ? 'base64' : 'hex');
      const expected = `${v.prefix ?? ''}${digest}`;
      const ok = v.encoding === 'BASE64' ? safeEqual(presented.trim(), expected) : safeEqual(presented.trim().toLowerCase(), expected.toLowerCase());
      return ok ? { ok: true } : { ok: false, reason: 'signature mismatch' };
    }
    case 'PRESET':
      return verifyProvider(v.provider!, secret ?? '', req);
    case 'TOKEN': {
      let presented: unknown;
      if (v.tokenHeader) presented = headerOf(req, v.tokenHeader);
      else if (v.tokenPath) {
        try {
          presented = readPath(req.data(), v.tokenPath);
        } catch {
          presented = undefined;
        }
      }
      if (typeof presented !== 'string' && typeof presented !== 'number') return { ok: false, reason: 'missing token' };
      return safeEqual(String(presented), secret ?? '') ? { ok: true } : { ok: false, reason: 'wrong token' };
    }
  }
}
