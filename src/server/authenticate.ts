import type { Principal } from '../domain/api-key/api-key.service';
import { looksLikePortalToken, type PortalClaims, type PortalRefusal } from '../domain/portal/portal-token';
import type { Services } from '../services';

export type Authentication =
  | { principal: Principal; portal: PortalClaims | null }
  /** `reason` says why a portal token was refused (the portal tells its user). */
  | { refused: string; reason?: `PORTAL_TOKEN_${PortalRefusal}` };

const PORTAL_REFUSALS: Record<PortalRefusal, string> = {
  EXPIRED: 'the portal token expired: ask for a new one',
  REVOKED: 'the portal token was revoked (or its tenant deleted)',
  INVALID: 'the portal token is not valid (altered, or made by another installation)',
};

/**
 * The caller a bearer credential stands for, over HTTP and graphql-ws alike: a portal
 * token (a JWT) or an API key. A JWT-shaped credential that is no valid token is still
 * tried as a key: HOOKGRAPH_ADMIN_KEY may be any string.
 */
export async function authenticate(services: Services, credential: string | undefined): Promise<Authentication> {
  if (!credential) return { refused: 'send an API key or portal token as Authorization: Bearer <key>' };
  const portal = looksLikePortalToken(credential) ? await services.portal.authenticate(credential) : null;
  if (portal && typeof portal !== 'string') return { principal: portal.principal, portal: portal.claims };
  if (portal && portal !== 'INVALID') return { refused: PORTAL_REFUSALS[portal], reason: `PORTAL_TOKEN_${portal}` };
  const principal = await services.apiKeys.authenticate(credential);
  if (principal) return { principal, portal: null };
  return portal ? { refused: PORTAL_REFUSALS.INVALID, reason: 'PORTAL_TOKEN_INVALID' } : { refused: 'the API key is unknown or revoked' };
}
