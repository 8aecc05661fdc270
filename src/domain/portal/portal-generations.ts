import type { TenantStatus } from '../tenant/tenant.entity';

/** What decides whether a tenant's portal tokens stand: the tenant's status and its portal generation. */
export interface TenantPortalState {
  id: string;
  status: TenantStatus;
  portalGeneration: number;
}

interface Known {
  generation: number;
  /** False once the tenant is DELETING or gone: it never becomes active again. */
  active: boolean;
}

/**
 * This process's map of tenant → portal generation, so a portal token is checked
 * without a database read. It only ever moves forward (a generation rises, a tenant
 * stops being active), so news arriving late or twice, from this process, another one
 * (pub/sub) or the database (PortalWatch), does no harm. Listeners hear of every tenant
 * whose tokens may have stopped standing.
 */
export class PortalGenerations {
  private readonly tenants = new Map<string, Known>();
  private readonly listeners = new Set<(tenantId: string) => void>();

  knows(tenantId: string): boolean {
    return this.tenants.has(tenantId);
  }

  apply(tenant: TenantPortalState): void {
    this.learn(tenant.id, { generation: tenant.portalGeneration, active: tenant.status === 'ACTIVE' });
  }

  /** The tenant no longer exists. */
  gone(tenantId: string): void {
    this.learn(tenantId, { generation: 0, active: false });
  }

  /**
   * Whether a token of `generation` (checked as genuine) still stands. A genuine token
   * of a later generation than known proves the tenant had reached it: it is learned.
   */
  admits(tenantId: string, generation: number): boolean {
    const known = this.tenants.get(tenantId);
    if (!known?.active || generation < known.generation) return false;
    if (generation > known.generation) this.learn(tenantId, { generation, active: true });
    return true;
  }

  onChange(listener: (tenantId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private learn(tenantId: string, news: Known): void {
    const known = this.tenants.get(tenantId);
    if (!known) {
      this.tenants.set(tenantId, news);
      return;
    }
    const next = { generation: Math.max(known.generation, news.generation), active: known.active && news.active };
    if (next.generation === known.generation && next.active === known.active) return;
    this.tenants.set(tenantId, next);
    for (const listener of this.listeners) listener(tenantId);
  }
}
