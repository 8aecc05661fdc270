import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MoreThanOrEqual } from 'typeorm';
import type { Database } from '../../database/database';
import type { Scope } from '../tenant/scope';
import { newId } from '../common/ids';
import type { PageArgs } from '../common/pagination';
import { paginate } from '../common/pagination';
import type { Signals } from '../common/signals';
import { SECOND } from '../common/time';
import { UserError, notFound } from '../common/user-error';
import { ApiKeyEntity, ROLES, type Role } from './api-key.entity';

/** Who calls: a key (or a portal token) with its role, within its scope (one tenant's resources, or all). */
export interface Principal extends Scope {
  /** The ApiKey id, `env` for HOOKGRAPH_ADMIN_KEY, or `portal:<tenant id>` for a portal token. */
  keyId: string;
  role: Role;
}

/**
 * How long a successful look-up is trusted. It bounds how late a revocation made in
 * another process takes effect here when nothing tells this one sooner (with Redis,
 * the revocation is pushed to every process at once).
 */
export const KEY_CACHE_TTL_MS = 2 * SECOND;

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export class ApiKeyService {
  /** Successful look-ups, briefly, so a hot publisher does not hit the database per call. */
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();

  /** SHA-256 (hex) of HOOKGRAPH_ADMIN_KEY, compared in constant time with the presented key's. */
  private readonly envAdminKeyHash: Buffer | null;

  constructor(
    private readonly db: Database,
    private readonly signals: Signals,
    private readonly envAdminKey: string | undefined,
  ) {
    this.envAdminKeyHash = envAdminKey ? Buffer.from(hashKey(envAdminKey)) : null;
  }

  /** A key of the whole installation (`tenantId` null) or of one tenant. */
  async create(input: { name: string; role: Role; tenantId?: string | null }): Promise<{ apiKey: ApiKeyEntity; key: string }> {
    const name = input.name.trim();
    if (!name || name.length > 200) throw new UserError(['name'], 'must be 1 to 200 characters', 'INVALID');
    if (!ROLES.includes(input.role)) throw new UserError(['role'], `must be one of ${ROLES.join(', ')}`, 'INVALID');
    const key = `hg_${randomBytes(32).toString('base64url')}`;
    const apiKey = this.db.manager.create(ApiKeyEntity, {
      id: newId('apiKey'),
      name,
      role: input.role,
      keyHash: hashKey(key),
      keyHint: `…${key.slice(-4)}`,
      createdAt: new Date(),
      revokedAt: null,
      tenantId: input.tenantId ?? null,
    });
    await this.db.manager.insert(ApiKeyEntity, apiKey);
    return { apiKey, key };
  }

  async revoke(id: string): Promise<ApiKeyEntity> {
    const apiKey = await this.db.manager.findOneBy(ApiKeyEntity, { id });
    if (!apiKey) throw notFound('id', 'API key', id);
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      await this.db.manager.update(ApiKeyEntity, { id }, { revokedAt: apiKey.revokedAt });
    }
    this.forget(id);
    this.signals.emit('apiKeyRevoked', id);
    return apiKey;
  }

  /** Drops a key from the look-up cache: it was revoked, here or in another process. */
  forget(id: string): void {
    for (const [hash, entry] of this.cache) if (entry.principal.keyId === id) this.cache.delete(hash);
  }

  /** Drops every key of a tenant from the look-up cache (the tenant is being deleted). */
  forgetTenant(tenantId: string): void {
    for (const [hash, entry] of this.cache) if (entry.principal.tenantId === tenantId) this.cache.delete(hash);
  }

  /** Keys revoked at or after `since`, by any process. */
  async revokedSince(since: Date): Promise<string[]> {
    const rows = await this.db.manager.find(ApiKeyEntity, { select: { id: true }, where: { revokedAt: MoreThanOrEqual(since) } });
    return rows.map((r) => r.id);
  }

  get(id: string): Promise<ApiKeyEntity | null> {
    return this.db.manager.findOneBy(ApiKeyEntity, { id });
  }

  list(args: PageArgs) {
    return paginate(this.db.manager.createQueryBuilder(ApiKeyEntity, 'k'), args);
  }

  /** The principal a presented key stands for, or null when it is unknown or revoked. */
  async authenticate(key: string): Promise<Principal | null> {
    const hash = hashKey(key);
    if (this.envAdminKeyHash && timingSafeEqual(Buffer.from(hash), this.envAdminKeyHash)) return { keyId: 'env', role: 'ADMIN', tenantId: null };
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    const apiKey = await this.db.manager.findOneBy(ApiKeyEntity, { keyHash: hash });
    if (!apiKey || apiKey.revokedAt) return null;
    const principal: Principal = { keyId: apiKey.id, role: apiKey.role, tenantId: apiKey.tenantId };
    this.cache.set(hash, { principal, expiresAt: Date.now() + KEY_CACHE_TTL_MS });
    return principal;
  }

  /** Whether a key id still stands (for long-lived subscriptions). */
  async isActive(keyId: string): Promise<boolean> {
    if (keyId === 'env') return true;
    const apiKey = await this.get(keyId);
    return Boolean(apiKey && !apiKey.revokedAt);
  }

  /** First start of a fresh install: make one admin key when none exists and none is configured. */
  async ensureInitialAdminKey(): Promise<string | null> {
    if (this.envAdminKey) return null;
    const count = await this.db.manager.count(ApiKeyEntity);
    if (count > 0) return null;
    const { key } = await this.create({ name: 'initial admin key', role: 'ADMIN' });
    return key;
  }
}

/** Roles that satisfy a required role: ADMIN ⊇ PUBLISHER ⊇ VIEWER. */
export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) <= ROLES.indexOf(required);
}
