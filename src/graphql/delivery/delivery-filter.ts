import type { DeliveryFilter } from '../../domain/delivery/delivery.service';
import type { Scope } from '../../domain/tenant/scope';
import type { Services } from '../../services';
import type { DeliveryFilterInput } from './delivery.input';

/** A filter as the domain reads it: the tenant's uid resolved to its id (TENANT_NOT_FOUND when none is in scope). */
export async function toDeliveryFilter(input: DeliveryFilterInput | null | undefined, services: Services, scope: Scope): Promise<DeliveryFilter> {
  const { tenant, ...rest } = input ?? {};
  return { ...rest, tenantId: tenant == null ? null : await services.tenants.resolve(tenant, scope, ['filter', 'tenant']) };
}
