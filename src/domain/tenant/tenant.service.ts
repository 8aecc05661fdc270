import { In } from 'typeorm';
import type { Database } from '../../database/database';
import { newId } from '../common/ids';
import { paginate, type PageArgs } from '../common/pagination';
import type { Signals } from '../common/signals';
import { SECOND } from '../common/time';
import { UserError, notFound } from '../common/user-error';
import { inScope, type Scope } from './scope';
import { DEFAULT_TENANT_ID, TenantEntity } from './tenant.entity';

export interface TenantInput {
  uid?: string | null;
  name?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** A uid: the caller's own id for its customer, printable, without spaces at either end. */
const UID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const MAX_METADATA_BYTES = 16 * 1024;
/** How long a uid → tenant look-up is trusted (a tenant deleted elsewhere is seen within it). */
const UID_CACHE_MS = 5 * SECOND;

export class TenantService {
  private readonly byUid = new Map<string, { id: string; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly signals: Signals,
  ) {}

  async create(input: TenantInput): Promise<TenantEntity> {
    const uid = validateUid(input.uid);
    const now = new Date();
    const tenant = this.db.manager.create(TenantEntity, {
      id: newId('tenant'),
      uid,
      name: validateName(input.name ?? uid),
      metadata: validateMetadata(input.metadata ?? {}),
      status: 'ACTIVE',
      portalGeneration: 0,
      createdAt: now,
      updatedAt: now,
    });
    await this.assertUidFree(uid);
    await this.db.manager.save(TenantEntity, tenant);
    return tenant;
  }

  async update(id: string, input: TenantInput): Promise<TenantEntity> {
    const tenant = await this.require(id);
    if (input.uid != null && input.uid !== tenant.uid) {
      if (tenant.id === DEFAULT_TENANT_ID) throw new UserError(['input', 'uid'], 'the default tenant keeps its uid', 'INVALID_STATE');
      const uid = validateUid(input.uid);
      await this.assertUidFree(uid);
      this.byUid.delete(tenant.uid);
      tenant.uid = uid;
    }
    if (input.name != null) tenant.name = validateName(input.name);
    if (input.metadata != null) tenant.metadata = validateMetadata(input.metadata);
    tenant.updatedAt = new Date();
    await this.db.manager.save(TenantEntity, tenant);
    return tenant;
  }

  /**
   * Marks a tenant for deletion: from now on nothing can be made for it, and the
   * TenantDeletion housekeeping removes its data in the background, then the tenant.
   */
  async markDeleted(id: string): Promise<TenantEntity> {
    const tenant = await this.require(id);
    if (tenant.id === DEFAULT_TENANT_ID) throw new UserError(['id'], 'the default tenant cannot be deleted', 'INVALID_STATE');
    if (tenant.status !== 'DELETING') {
      tenant.status = 'DELETING';
      tenant.updatedAt = new Date();
      await this.db.manager.update(TenantEntity, { id }, { status: tenant.status, updatedAt: tenant.updatedAt });
    }
    this.byUid.delete(tenant.uid);
    this.signals.emit('tenantDeleting', tenant);
    return tenant;
  }

  /** Every portal token of the tenant issued so far stops working. */
  async revokePortalAccess(id: string): Promise<TenantEntity> {
    const tenant = await this.require(id);
    tenant.portalGeneration += 1;
    tenant.updatedAt = new Date();
    await this.db.manager.update(TenantEntity, { id }, { portalGeneration: tenant.portalGeneration, updatedAt: tenant.updatedAt });
    this.signals.emit('tenantPortalRevoked', tenant);
    return tenant;
  }

  get(id: string): Promise<TenantEntity | null> {
    return this.db.manager.findOneBy(TenantEntity, { id });
  }

  getMany(ids: readonly string[]): Promise<TenantEntity[]> {
    return this.db.manager.findBy(TenantEntity, { id: In([...ids]) });
  }

  /** The tenant with this uid, if the scope may see it. */
  async byUidInScope(uid: string, scope: Scope): Promise<TenantEntity | null> {
    const tenant = await this.db.manager.findOneBy(TenantEntity, { uid });
    return tenant && inScope(scope, tenant.id) ? tenant : null;
  }

  list(args: PageArgs & { uidPrefix?: string | null }, scope: Scope) {
    const qb = this.db.manager.createQueryBuilder(TenantEntity, 't');
    if (scope.tenantId) qb.andWhere('t.id = :own', { own: scope.tenantId });
    // '!' escapes the wildcards (a backslash means different things to MySQL and SQLite).
    if (args.uidPrefix) qb.andWhere(`t.uid LIKE :prefix ESCAPE '!'`, { prefix: `${escapeLike(args.uidPrefix)}%` });
    return paginate(qb, args);
  }

  /**
   * The tenant a new resource (or a publish) is for: the one `uid` names, or without
   * one, the caller's own (a tenant's key) or the default tenant. A tenant's key can name
   * only its own tenant; another one is as unknown to it as one that does not exist.
   */
  async resolve(uid: string | null | undefined, scope: Scope, field: string[] = ['input', 'tenant']): Promise<string> {
    if (uid == null) return scope.tenantId ?? DEFAULT_TENANT_ID;
    const id = await this.idOfUid(uid);
    if (!id || !inScope(scope, id)) throw new UserError(field, `no tenant has the uid "${uid.slice(0, 128)}"`, 'TENANT_NOT_FOUND');
    return id;
  }

  async require(id: string, scope?: Scope): Promise<TenantEntity> {
    const tenant = await this.get(id);
    if (!tenant || (scope && !inScope(scope, tenant.id))) throw notFound('id', 'tenant', id);
    return tenant;
  }

  /** The id of the active tenant with this uid (cached briefly: publishes name it on every call). */
  private async idOfUid(uid: string): Promise<string | null> {
    const cached = this.byUid.get(uid);
    if (cached && Date.now() - cached.at < UID_CACHE_MS) return cached.id;
    const tenant = await this.db.manager.findOneBy(TenantEntity, { uid });
    if (!tenant || tenant.status !== 'ACTIVE') {
      this.byUid.delete(uid);
      return null;
    }
    if (this.byUid.size > 10_000) this.byUid.clear();
    this.byUid.set(uid, { id: tenant.id, at: Date.now() });
    return tenant.id;
  }

  private async assertUidFree(uid: string): Promise<void> {
    if (await this.db.manager.existsBy(TenantEntity, { uid })) {
      throw new UserError(['input', 'uid'], `a tenant with the uid "${uid}" exists`, 'DUPLICATE_NAME');
    }
  }
}

function validateUid(uid: string | null | undefined): string {
  if (uid == null || uid.length < 1 || uid.length > 128 || !UID.test(uid)) {
    throw new UserError(['input', 'uid'], 'must be 1 to 128 printable ASCII characters, without spaces at either end', 'INVALID');
  }
  return uid;
}

function validateName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200) throw new UserError(['input', 'name'], 'must be 1 to 200 characters', 'INVALID');
  return trimmed;
}

function validateMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new UserError(['input', 'metadata'], 'must be a JSON object', 'INVALID');
  }
  const size = Buffer.byteLength(JSON.stringify(metadata));
  if (size > MAX_METADATA_BYTES) throw new UserError(['input', 'metadata'], `is ${size} bytes; the limit is ${MAX_METADATA_BYTES}`, 'TOO_LARGE');
  return metadata;
}

/** A LIKE prefix with its wildcards taken literally (escaped with '!'). */
function escapeLike(prefix: string): string {
  return prefix.replace(/[!%_]/g, (c) => `!${c}`);
}
