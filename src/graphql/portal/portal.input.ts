import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { PORTAL_TOKEN_SECONDS } from '../../domain/portal/portal.service';
import type { PortalRole as PortalRoleValue } from '../../domain/portal/portal-token';

export const PortalRole = { VIEWER: 'VIEWER', ADMIN: 'ADMIN' } as const;
registerEnumType(PortalRole, {
  name: 'PortalRole',
  description: "VIEWER sees the tenant's destinations and deliveries; ADMIN also changes its destinations, retries and cancels.",
});

@InputType('TenantPortalAccessInput')
export class TenantPortalAccessInput {
  @Field({ description: "The tenant's uid." }) tenant!: string;
  @Field(() => PortalRole) role!: PortalRoleValue;
  @Field(() => Int, {
    nullable: true,
    description: `How long the token works, ${PORTAL_TOKEN_SECONDS.min} to ${PORTAL_TOKEN_SECONDS.max} seconds; default ${PORTAL_TOKEN_SECONDS.default}.`,
  })
  expiresInSeconds?: number | null;
}
