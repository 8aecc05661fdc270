import { Field, Int, ObjectType } from 'type-graphql';
import { UserErrorType } from '../common/user-error.type';
import { BulkJobType } from './bulk-job.type';

@ObjectType('BulkJobPayload', { description: 'What starting a bulk job answers: how many items match, and the job (null for a dry run).' })
export class BulkJobPayload {
  @Field(() => Int, { nullable: true }) matched?: number;
  @Field(() => BulkJobType, { nullable: true }) job?: BulkJobType | null;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}

@ObjectType('BulkJobCancelPayload')
export class BulkJobCancelPayload {
  @Field(() => BulkJobType, { nullable: true }) job?: BulkJobType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
