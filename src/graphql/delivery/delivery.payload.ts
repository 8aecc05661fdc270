import { Field, ObjectType } from 'type-graphql';
import { UserErrorType } from '../common/user-error.type';
import { DeliveryType } from './delivery.type';

@ObjectType('DeliveryRetryPayload')
export class DeliveryRetryPayload {
  @Field(() => DeliveryType, { nullable: true }) delivery?: DeliveryType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('DeliveryCancelPayload')
export class DeliveryCancelPayload {
  @Field(() => DeliveryType, { nullable: true }) delivery?: DeliveryType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('DeliveryResendPayload')
export class DeliveryResendPayload {
  @Field(() => DeliveryType, { nullable: true }) delivery?: DeliveryType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
