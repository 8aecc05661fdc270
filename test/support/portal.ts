import assert from 'node:assert/strict';
import type { GraphQLClient } from './publish';

export interface PortalAccess {
  token: string;
  url: string;
  expiresAt: string;
}

/** Makes a tenant through the API (as the installation's admin) and returns its id. */
export async function createTenant(t: GraphQLClient, uid: string): Promise<string> {
  const res = await t.gql(`mutation($u: String!) { tenantCreate(input: { uid: $u }) { tenant { id } userErrors { code message } } }`, { u: uid });
  assert.deepEqual(res.data.tenantCreate.userErrors, [], JSON.stringify(res));
  return res.data.tenantCreate.tenant.id;
}

export const PORTAL_ACCESS = `mutation($input: TenantPortalAccessInput!) {
  tenantPortalAccess(input: $input) { token url expiresAt userErrors { field code message } }
}`;

/** A portal token for tenant `uid` (made with the admin key unless `key` is given); any refusal fails the test. */
export async function portalAccess(t: GraphQLClient, uid: string, role: 'ADMIN' | 'VIEWER', expiresInSeconds?: number, key?: string): Promise<PortalAccess> {
  const res = await t.gql(PORTAL_ACCESS, { input: { tenant: uid, role, expiresInSeconds } }, key);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.deepEqual(res.data.tenantPortalAccess.userErrors, []);
  return res.data.tenantPortalAccess;
}

/** The JSON payload of a JWT, as anyone holding it can read it. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

/** The token with its payload replaced and its signature kept (what an attacker could make). */
export function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}
