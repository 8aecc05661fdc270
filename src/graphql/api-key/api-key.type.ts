import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { Role as RoleValue } from '../../domain/api-key/api-key.entity';
import { Node } from '../common/relay';
import { UserErrorType } from '../common/user-error.type';

export const Role = { ADMIN: 'ADMIN', PUBLISHER: 'PUBLISHER', VIEWER: 'VIEWER' } as const;
registerEnumType(Role, {
  name: 'Role',
  description: 'ADMIN manages everything; PUBLISHER publishes events and reads; VIEWER reads and subscribes.',
});

@ObjectType('ApiKey', { implements: Node, description: 'A credential; the key itself is shown only at creation.' })
export class ApiKeyType extends Node {
  @Field(() => ID) declare id: string;
  @Field() name!: string;
  @Field(() => Role) role!: RoleValue;
  @Field() keyHint!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => ID, { nullable: true, description: 'The tenant the key is for; null: the whole installation.' }) tenantId!: string | null;
}

@InputType('ApiKeyCreateInput')
export class ApiKeyCreateInput {
  @Field(() => String, {
    nullable: true,
    description:
      "The uid of the tenant the key is for: it sees and changes only that tenant's resources (its ADMIN never keys or tenants). A key of the whole installation when absent.",
  })
  tenant?: string | null;
  @Field() name!: string;
  @Field(() => Role) role!: RoleValue;
}

@ObjectType('ApiKeyCreatePayload')
export class ApiKeyCreatePayload {
  @Field(() => ApiKeyType, { nullable: true }) apiKey?: ApiKeyType;
  @Field(() => String, { nullable: true, description: 'Shown once. Send it as Authorization: Bearer <key>.' }) key?: string;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('ApiKeyRevokePayload')
export class ApiKeyRevokePayload {
  @Field(() => ApiKeyType, { nullable: true }) apiKey?: ApiKeyType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
