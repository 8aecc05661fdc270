import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { BulkJobProgress } from '../../domain/job/bulk-job-progress';
import type { BulkJobKind as BulkJobKindValue, BulkJobStatus as BulkJobStatusValue } from '../../domain/job/bulk-job.entity';
import { Node } from '../common/relay';

export const BulkJobKind = { RETRY: 'RETRY', RECOVER: 'RECOVER', REPLAY: 'REPLAY' } as const;
export const BulkJobStatus = { QUEUED: 'QUEUED', RUNNING: 'RUNNING', SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED', CANCELLED: 'CANCELLED' } as const;
registerEnumType(BulkJobKind, { name: 'BulkJobKind', description: 'RETRY: deliveriesRetry; RECOVER: destinationRecover; REPLAY: webhookReplay.' });
registerEnumType(BulkJobStatus, { name: 'BulkJobStatus' });

@ObjectType('BulkJob', {
  implements: Node,
  description: 'A bulk operation stored in the database: any hookgraph process runs it, resumes it after a crash, or stops it when cancelled.',
})
export class BulkJobType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID, { nullable: true, description: 'The tenant whose objects it changes; null: any tenant’s.' }) tenantId!: string | null;
  @Field(() => BulkJobKind) kind!: BulkJobKindValue;
  @Field(() => BulkJobStatus) status!: BulkJobStatusValue;
  @Field(() => Int, { description: 'Items that matched when it started (deliveries to queue again, events to replay).' }) total!: number;
  @Field(() => Int, { description: 'Items done so far; one that changed meanwhile (say, retried alone) is skipped.' }) done!: number;
  @Field(() => String, { nullable: true, description: 'Why it FAILED.' }) error!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

export function toBulkJobType(p: BulkJobProgress): BulkJobType {
  return { ...p, createdAt: new Date(p.createdAt), updatedAt: new Date(p.updatedAt) };
}
