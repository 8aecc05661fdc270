import { ArgsType, Field, ID } from 'type-graphql';

/** What destinationRecover and webhookReplay take: the object, a creation-time window, and whether only to count. */
@ArgsType()
export class JobWindowArgs {
  @Field(() => ID) id!: string;
  @Field(() => Date, { description: 'Created at or after this time.' }) since!: Date;
  @Field(() => Date, { nullable: true, description: 'Created before this time; now when omitted.' }) until?: Date | null;
  @Field({ defaultValue: false, description: 'Only count what the job would do.' }) dryRun!: boolean;
}
