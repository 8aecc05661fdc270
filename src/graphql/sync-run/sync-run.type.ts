import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { SyncMode as SyncModeValue } from '../../domain/event/event.entity';
import type { SyncRunOutcome as SyncRunOutcomeValue, SyncRunStatus as SyncRunStatusValue } from '../../domain/sync-run/sync-run.entity';
import { Node } from '../common/relay';
import { UserErrorType } from '../common/user-error.type';
import { SyncMode } from '../event/event.enums';

export const SyncRunStatus = { RUNNING: 'RUNNING', COMPLETING: 'COMPLETING', COMPLETED: 'COMPLETED', FINISHED: 'FINISHED' } as const;
registerEnumType(SyncRunStatus, {
  name: 'SyncRunStatus',
  description:
    'RUNNING takes rows; COMPLETING: a MIRROR run sends its delete rows; COMPLETED: no more rows, deliveries under way; FINISHED: every delivery is final and sync.run.completed was published.',
});
export const SyncRunOutcome = { SUCCEEDED: 'SUCCEEDED', PARTIAL: 'PARTIAL', FAILED: 'FAILED' } as const;
registerEnumType(SyncRunOutcome, { name: 'SyncRunOutcome', description: 'SUCCEEDED: no delivery failed; FAILED: none succeeded; PARTIAL: some of each.' });

@ObjectType('SyncRun', { implements: Node, description: 'One run of a data sync’s stream; its rows are events.' })
export class SyncRunType extends Node {
  @Field(() => ID) declare id: string;
  @Field(() => ID) tenantId!: string;
  @Field() stream!: string;
  @Field(() => SyncMode) mode!: SyncModeValue;
  @Field() entityIdField!: string;
  @Field(() => SyncRunStatus) status!: SyncRunStatusValue;
  @Field(() => Int, { description: 'Rows published, delete rows included.' }) rows!: number;
  @Field(() => Int, { description: 'Delete rows of a MIRROR run: entities the last completed run had and this one has not.' }) deletes!: number;
  @Field(() => SyncRunOutcome, { nullable: true, description: 'Once FINISHED.' }) outcome!: SyncRunOutcomeValue | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) completedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}

@ObjectType('SyncRunPayload')
export class SyncRunPayload {
  @Field(() => SyncRunType, { nullable: true }) run?: SyncRunType;
  @Field(() => [UserErrorType]) userErrors!: UserErrorType[];
}
