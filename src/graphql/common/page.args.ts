import { ArgsType, Field, Int } from 'type-graphql';

/** Relay paging arguments: `first`/`after` walk to older records, `last`/`before` to newer; 1–100. */
@ArgsType()
export class PageArgsType {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => Int, { nullable: true }) last?: number | null;
  @Field(() => String, { nullable: true }) before?: string | null;
}
