import { ArgsType, Field, Float, Int, ObjectType } from 'type-graphql';
import { MAX_WINDOW_DAYS } from '../../domain/stats/stats-window';

const RATE = 'successes / attempts; null without attempts.';
const PERCENTILE = 'Estimated from a histogram whose buckets double in width (1, 2, 4 … 65,536 ms): within a factor of two. Null without attempts.';

@ArgsType()
export class StatsArgs {
  @Field({ description: 'Start of the window; the minute it falls in counts whole.' }) since!: Date;
  @Field({ description: `End of the window, later than since and at most ${MAX_WINDOW_DAYS} days after it.` }) until!: Date;
}

@ObjectType('AttemptStatsBucket', { description: 'The attempts of one bucket of a series.' })
export class AttemptStatsBucketType {
  @Field() start!: Date;
  @Field(() => Int) attempts!: number;
  @Field(() => Int) successes!: number;
  @Field(() => Int) failures!: number;
  @Field(() => Float, { nullable: true, description: RATE }) successRate!: number | null;
  @Field(() => Int, { nullable: true, description: PERCENTILE }) p50Ms!: number | null;
  @Field(() => Int, { nullable: true, description: PERCENTILE }) p95Ms!: number | null;
}

@ObjectType('AttemptStats', {
  description:
    'Delivery attempts over a window: a success is a 2xx answer, anything else (another status, a timeout, a connection error) a failure. ' +
    'Kept per destination, minute and hour as results are written; every minute overlapping the window counts.',
})
export class AttemptStatsType {
  @Field(() => Int) attempts!: number;
  @Field(() => Int) successes!: number;
  @Field(() => Int) failures!: number;
  @Field(() => Float, { nullable: true, description: RATE }) successRate!: number | null;
  @Field(() => Int, { nullable: true, description: PERCENTILE }) p50Ms!: number | null;
  @Field(() => Int, { nullable: true, description: PERCENTILE }) p95Ms!: number | null;
  @Field(() => Int, { description: 'Size of the series buckets: 60 for windows up to two hours, 3600 beyond.' }) bucketSeconds!: number;
  @Field(() => [AttemptStatsBucketType], { description: 'Every bucket of the window in time order, empty ones included.' })
  series!: AttemptStatsBucketType[];
}
