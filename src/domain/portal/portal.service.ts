import type { Principal } from '../api-key/api-key.service';
import { UserError } from '../common/user-error';
import type { Scope } from '../tenant/scope';
import type { TenantService } from '../tenant/tenant.service';
import { PortalGenerations } from './portal-generations';
import { PORTAL_ROLES, type PortalClaims, type PortalRefusal, type PortalRole, type PortalTokens } from './portal-token';

export const PORTAL_TOKEN_SECONDS = { min: 60, max: 86_400, default: 3600 } as const;

export interface PortalAccessInput {
  /** The tenant's uid. */
  tenant: string;
  role: PortalRole;
  expiresInSeconds?: number | null;
}

export interface PortalAccess {
  token: string;
  /** `<public url>/portal#token=<token>`: in the fragment, the token reaches no server log. */
  url: string;
  expiresAt: Date;
}

export interface PortalCaller {
  principal: Principal;
  claims: PortalClaims;
}

/** The key id every portal token of a tenant acts under (logs, sockets). */
export const portalKeyId = (tenantId: string) => `portal:${tenantId}`;

/**
 * Portal tokens: a tenant's own view of its resources for a browser, minted by the
 * installation's backend. A token acts as a key of its tenant with its role; it stops at
 * its expiry, when the tenant's portal access is revoked (its generation rises) and when
 * the tenant is being deleted.
 */
export class PortalService {
  /** Kept current by signals, pub/sub and PortalWatch; read on every token. */
  readonly generations = new PortalGenerations();

  constructor(
    private readonly tenants: TenantService,
    private readonly tokens: PortalTokens,
  ) {}

  async mint(input: PortalAccessInput, scope: Scope, publicUrl: string): Promise<PortalAccess> {
    const { min, max } = PORTAL_TOKEN_SECONDS;
    const seconds = input.expiresInSeconds ?? PORTAL_TOKEN_SECONDS.default;
    if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
      throw new UserError(['input', 'expiresInSeconds'], `must be from ${min} to ${max} seconds, got ${seconds}`, 'OUT_OF_RANGE');
    }
    if (!PORTAL_ROLES.includes(input.role)) throw new UserError(['input', 'role'], `must be one of ${PORTAL_ROLES.join(', ')}`, 'INVALID');
    const tenant = await this.tenants.get(await this.tenants.resolve(input.tenant, scope));
    if (!tenant || tenant.status !== 'ACTIVE') {
      throw new UserError(['input', 'tenant'], `no tenant has the uid "${input.tenant.slice(0, 128)}"`, 'TENANT_NOT_FOUND');
    }
    this.generations.apply(tenant);
    const { token, expiresAt } = await this.tokens.sign({ tenantId: tenant.id, role: input.role, generation: tenant.portalGeneration }, seconds);
    return { token, expiresAt, url: `${publicUrl}/portal#token=${token}` };
  }

  /** Who a portal token stands for, or why it is refused. Reads the database only for a tenant this process has not seen. */
  async authenticate(token: string): Promise<PortalCaller | PortalRefusal> {
    const claims = await this.tokens.verify(token);
    if (typeof claims === 'string') return claims;
    if (!this.generations.knows(claims.tenantId)) {
      const tenant = await this.tenants.get(claims.tenantId);
      if (tenant) this.generations.apply(tenant);
      else this.generations.gone(claims.tenantId);
    }
    if (!this.generations.admits(claims.tenantId, claims.generation)) return 'REVOKED';
    return { claims, principal: { keyId: portalKeyId(claims.tenantId), role: claims.role, tenantId: claims.tenantId } };
  }

  /** Whether a token admitted earlier (an open socket's) still stands. */
  stillAdmits(claims: PortalClaims): boolean {
    return this.generations.admits(claims.tenantId, claims.generation);
  }
}
