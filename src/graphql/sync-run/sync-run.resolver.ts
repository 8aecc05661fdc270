import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { SyncRunEntity } from '../../domain/sync-run/sync-run.entity';
import type { Context } from '../context';
import { PageArgsType } from '../common/page.args';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload } from '../common/user-error.type';
import { SyncRunStartInput } from './sync-run.input';
import { SyncRunPayload, SyncRunType } from './sync-run.type';

export const SyncRunConnection = Connection(SyncRunType, 'SyncRun');

/** The run as the API shows it, the stored record kept along for the counts. */
type SyncRunRoot = SyncRunType & SyncRunEntity;

export function toSyncRunType(run: SyncRunEntity): SyncRunRoot {
  return { ...run, rows: run.rowCount, deletes: run.deleteCount };
}

@Resolver(() => SyncRunType)
export class SyncRunResolver {
  @Authorized('VIEWER')
  @Query(() => SyncRunConnection, { description: 'Sync runs, newest first; of one stream when given.' })
  async syncRuns(@Args() page: PageArgsType, @Arg('stream', () => String, { nullable: true }) stream: string | null, @Ctx() { services, principal }: Context) {
    return toConnection(SyncRunConnection, await services.syncRuns.list({ ...page, stream }, principal), (run): SyncRunType => toSyncRunType(run));
  }

  @Authorized('PUBLISHER')
  @Mutation(() => SyncRunPayload, { description: 'Starts a run of a stream; rows are added with eventPublishBatch(input: { runId }).' })
  syncRunStart(@Arg('input') input: SyncRunStartInput, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => {
      const tenantId = await services.tenants.resolve(input.tenant, principal);
      return { run: toSyncRunType(await services.syncRuns.start(input, tenantId)) };
    });
  }

  @Authorized('PUBLISHER')
  @Mutation(() => SyncRunPayload, {
    description: 'Closes a run: a MIRROR run first sends delete rows for the entities its stream’s last completed run had and this one has not.',
  })
  syncRunComplete(@Arg('id', () => ID) id: string, @Ctx() { services, principal }: Context) {
    return mutationPayload(async () => ({ run: toSyncRunType(await services.syncRuns.complete(id, principal)) }));
  }

  @FieldResolver(() => Int, { description: 'Deliveries of its rows that succeeded (so far, until FINISHED).' })
  async delivered(@Root() run: SyncRunRoot, @Ctx() { services }: Context): Promise<number> {
    return (await progressOf(run, services)).delivered;
  }

  @FieldResolver(() => Int, { description: 'Deliveries of its rows that failed or were cancelled (so far, until FINISHED).' })
  async failed(@Root() run: SyncRunRoot, @Ctx() { services }: Context): Promise<number> {
    return (await progressOf(run, services)).failed;
  }
}

/** Both counts come from one count of the run's deliveries, asked once per run and request. */
const counted = new WeakMap<SyncRunRoot, ReturnType<Context['services']['syncRuns']['progress']>>();
function progressOf(run: SyncRunRoot, services: Context['services']) {
  let progress = counted.get(run);
  if (!progress) {
    progress = services.syncRuns.progress(run);
    counted.set(run, progress);
  }
  return progress;
}
