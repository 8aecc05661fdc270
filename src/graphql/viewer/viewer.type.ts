import { Field, ID, ObjectType } from 'type-graphql';
import type { Role as RoleValue } from '../../domain/api-key/api-key.entity';
import { Role } from '../api-key/api-key.type';

@ObjectType('Viewer', { description: 'The key (or portal token) that makes the request: what it may do, and whose resources it sees.' })
export class ViewerType {
  @Field(() => Role) role!: RoleValue;
  @Field(() => ID, { nullable: true, description: 'The tenant it belongs to; null: the whole installation.' }) tenantId!: string | null;
}
