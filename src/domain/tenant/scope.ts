import { notFound } from '../common/user-error';

/**
 * Whose resources a caller sees and changes: one tenant's (`tenantId` set, for a caller
 * bound to that tenant) or all of them (`tenantId: null`). Services take a scope on every
 * read and write, and a row outside it gets the same not-found as a missing one, so a
 * caller cannot learn that another tenant's id exists.
 */
export interface Scope {
  tenantId: string | null;
}

/** Every tenant: for the engine, housekeeping and system events, which act for no one caller. */
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
