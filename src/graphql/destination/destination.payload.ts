import { Field, ObjectType } from 'type-graphql';
import { UserErrorType } from '../common/user-error.type';
import { DestinationType } from './destination.type';

@ObjectType('DestinationCreatePayload')
export class DestinationCreatePayload {
  @Field(() => DestinationType, { nullable: true }) destination?: DestinationType;
  @Field(() => String, { nullable: true, description: 'Shown once: store it to verify signatures.' }) signingSecret?: string;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('DestinationUpdatePayload')
export class DestinationUpdatePayload {
  @Field(() => DestinationType, { nullable: true }) destination?: DestinationType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('DestinationDeletePayload')
export class DestinationDeletePayload {
  @Field(() => String, { nullable: true }) deletedId?: string;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('DestinationRotateSecretPayload')
export class DestinationRotateSecretPayload {
  @Field(() => DestinationType, { nullable: true }) destination?: DestinationType;
  @Field(() => String, { nullable: true, description: 'Shown once. The previous secret signs too until the overlap ends.' })
  signingSecret?: string;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
