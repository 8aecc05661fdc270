import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { TenantStatus as TenantStatusValue } from '../../domain/tenant/tenant.entity';
import { Node } from '../common/relay';
import { JSON } from '../common/scalars';
import { UserErrorType } from '../common/user-error.type';

export const TenantStatus = { ACTIVE: 'ACTIVE', DELETING: 'DELETING' } as const;
registerEnumType(TenantStatus, { name: 'TenantStatus', description: 'DELETING: its data is being removed in the background.' });

@ObjectType('Tenant', {
  implements: Node,
  description:
    'One of your customers: its destinations, webhooks, listeners, events and deliveries are its own, and a key or portal token of the tenant sees only those.',
})
export class TenantType extends Node {
  @Field(() => ID) declare id: string;
  @Field({ description: 'Your own id for the customer (1–128 characters), unique.' }) uid!: string;
  @Field() name!: string;
  @Field(() => JSON) metadata!: Record<string, unknown>;
  @Field(() => TenantStatus) status!: TenantStatusValue;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@InputType('TenantCreateInput')
export class TenantCreateInput {
  @Field() uid!: string;
  @Field(() => String, { nullable: true, description: 'Defaults to the uid.' }) name?: string | null;
  @Field(() => JSON, { nullable: true }) metadata?: Record<string, unknown> | null;
}

@InputType('TenantUpdateInput')
export class TenantUpdateInput {
  @Field(() => String, { nullable: true }) uid?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => JSON, { nullable: true }) metadata?: Record<string, unknown> | null;
}

@InputType('TenantFilter')
export class TenantFilterInput {
  @Field(() => String, { nullable: true, description: 'Tenants whose uid starts with this.' }) uidPrefix?: string | null;
}

@ObjectType('TenantPayload', { description: 'tenantCreate, tenantUpdate, tenantDelete (the tenant, DELETING) and tenantRevokePortalAccess.' })
export class TenantPayload {
  @Field(() => TenantType, { nullable: true }) tenant?: TenantType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('TenantRows', { description: 'What a tenant owns, by kind: while it is DELETING, how far the deletion got.' })
export class TenantRowsType {
  @Field(() => Int) listeners!: number;
  @Field(() => Int) webhooks!: number;
  @Field(() => Int) deliveries!: number;
  @Field(() => Int) events!: number;
  @Field(() => Int) destinations!: number;
  @Field(() => Int) apiKeys!: number;
  @Field(() => Int) syncRuns!: number;
}
