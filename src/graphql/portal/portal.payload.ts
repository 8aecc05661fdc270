import { Field, ObjectType } from 'type-graphql';
import { UserErrorType } from '../common/user-error.type';

@ObjectType('TenantPortalAccessPayload')
export class TenantPortalAccessPayload {
  @Field(() => String, {
    nullable: true,
    description: "Works as `Authorization: Bearer <token>` (and in graphql-ws's connection_init) as a key of the tenant with the role, until it expires.",
  })
  token?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The portal with the token in its fragment (`<public url>/portal#token=…`): open it, or embed it in an iframe.',
  })
  url?: string;

  @Field(() => Date, { nullable: true }) expiresAt?: Date;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
