import { randomBytes } from 'node:crypto';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import type { Role } from '../api-key/api-key.entity';
import type { Clock } from '../common/clock';
import { isIdOf } from '../common/ids';

export type PortalRole = Extract<Role, 'VIEWER' | 'ADMIN'>;
export const PORTAL_ROLES: readonly PortalRole[] = ['VIEWER', 'ADMIN'];

/** What a portal token says: whose portal, with which role, from which generation of its access, until when. */
export interface PortalClaims {
  tenantId: string;
  role: PortalRole;
  /** The tenant's portalGeneration when the token was made; a later revocation raises it. */
  generation: number;
  /** Epoch ms. */
  expiresAt: number;
}

/** Why a token is refused. REVOKED is decided by PortalService, which knows the tenants. */
export type PortalRefusal = 'EXPIRED' | 'INVALID' | 'REVOKED';

const ISSUER = 'hookgraph';
const AUDIENCE = 'hookgraph-portal';
const ALGORITHM = 'HS256';

/** Three base64url parts, the first a JSON header: the form of every portal token (an API key never has it). */
const JWT_FORM = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

export function looksLikePortalToken(credential: string): boolean {
  return JWT_FORM.test(credential);
}

/** jose is an ES module only; this CommonJS build loads it once, when it is first needed. */
let jose: Promise<typeof Jose> | undefined;
const loadJose = (): Promise<typeof Jose> => (jose ??= import('jose'));

/**
 * Signs and verifies portal tokens (JWT, HS256) with a key derived from the master key.
 * Verifying reads no database: the signature, issuer, audience and expiry (on `clock`)
 * are checked here; whether the tenant still admits the token's generation is
 * PortalService's question.
 */
export class PortalTokens {
  constructor(
    private readonly key: Uint8Array,
    private readonly clock: Clock,
  ) {}

  async sign(claims: Omit<PortalClaims, 'expiresAt'>, expiresInSeconds: number): Promise<{ token: string; expiresAt: Date }> {
    const { SignJWT } = await loadJose();
    const issuedAt = Math.floor(this.clock.now() / 1000);
    const expiresAt = issuedAt + expiresInSeconds;
    const token = await new SignJWT({ role: claims.role, gen: claims.generation })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(claims.tenantId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The token's claims, or why it is refused (tampered, signed with another key, expired, malformed). */
  async verify(token: string): Promise<PortalClaims | PortalRefusal> {
    const { jwtVerify, errors } = await loadJose();
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'iat', 'exp'],
        currentDate: new Date(this.clock.now()),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return 'EXPIRED';
      if (error instanceof errors.JOSEError) return 'INVALID';
      throw error;
    }
    const { sub, role, gen, exp } = payload;
    const validRole = PORTAL_ROLES.find((r) => r === role);
    if (!sub || !isIdOf('tenant', sub) || !validRole || !Number.isSafeInteger(gen) || (gen as number) < 0 || exp === undefined) return 'INVALID';
    return { tenantId: sub, role: validRole, generation: gen as number, expiresAt: exp * 1000 };
  }
}
