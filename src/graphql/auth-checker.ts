import type { AuthChecker } from 'type-graphql';
import { roleAllows } from '../domain/api-key/api-key.service';
import type { Role } from '../domain/api-key/api-key.entity';
import type { Context } from './context';
import { forbidden } from './errors';

/** `@Authorized('PUBLISHER')`: the caller's role must include the named one (ADMIN ⊇ PUBLISHER ⊇ VIEWER). */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  const required = roles[0] ?? 'VIEWER';
  if (!roleAllows(context.principal.role, required)) {
    throw forbidden(`this needs the ${required} role; the key has ${context.principal.role}`);
  }
  return true;
};
