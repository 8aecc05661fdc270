import type { Principal } from '../../domain/api-key/api-key.service';
import { forbidden } from '../errors';

/** Refuses a tenant's key (or portal token) what only keys of the whole installation may do. */
export function wholeInstallation(principal: Principal, what: string): void {
  if (principal.tenantId !== null) throw forbidden(`a key of one tenant cannot ${what}: use a key of the whole installation`);
}
