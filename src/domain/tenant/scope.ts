import { notFound } from '../shared/user-error';

/**
 * Whose resources a caller sees and changes: one tenant's (a key or portal token of that
 * tenant), or every tenant's (`tenantId: null`, a key of the whole installation). Every
 * read and write of a tenant's resources goes through one: what another tenant owns is
 * answered as if it did not exist.
 */
export interface Scope {
  tenantId: string | null;
}

/** The whole installation: housekeeping, system events, the engine. */
export const EVERY_TENANT: Scope = { tenantId: null };

export function inScope(scope: Scope, tenantId: string): boolean {
  return scope.tenantId === null || scope.tenantId === tenantId;
}

/** `row` if the scope may see it, else the same not-found a missing one gets. */
export function visible<T extends { tenantId: string }>(scope: Scope, row: T | null | undefined, field: string, what: string, id: string): T {
  if (!row || !inScope(scope, row.tenantId)) throw notFound(field, what, id);
  return row;
}

/** The `tenant_id` condition of a query for a scope (undefined: no condition). */
export function tenantCondition(scope: Scope): string | undefined {
  return scope.tenantId ?? undefined;
}
