import { In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Database } from '../../database/database';
import { entityIdsMissingFrom, runDeliveryCounts } from '../../sql/sync-run-queries';
import type { DeliveryStatus } from '../delivery/delivery.entity';
import type { EventEntity, SyncMode } from '../event/event.entity';
import type { EventService } from '../event/event.service';
import { validateEventType } from '../webhook/event-type-pattern';
import { validatePath } from '../listener/listener.validation';
import { newId } from '../common/ids';
import { paginate, type PageArgs } from '../common/pagination';
import { UserError } from '../common/user-error';
import { visible, type Scope } from '../tenant/scope';
import { SyncRunEntity, type SyncRunOutcome } from './sync-run.entity';

export interface SyncRunStartInput {
  stream: string;
  mode: SyncMode;
  entityIdField?: string | null;
}

export interface SyncRowsInput {
  /** The rows' event type; the run's stream when absent. */
  type?: string | null;
  /** Must be the run's mode when given. */
  syncMode?: SyncMode | null;
  rows: unknown[];
  entityIdField?: string | null;
  traceParent?: string | null;
}

/** What a run's deliveries have come to so far. */
export interface RunProgress {
  delivered: number;
  failed: number;
  /** Deliveries not final yet. */
  open: number;
}

/** Delete rows a MIRROR run publishes per batch. */
const DELETE_BATCH = 500;
const FAILED_STATUSES: DeliveryStatus[] = ['FAILED', 'CANCELLED'];

/**
 * Sync runs (valmi.io's): a run of a stream takes rows in batches (each row an event
 * numbered from 1 across the run), is completed, and finishes when its deliveries are
 * final (sync-run-finisher.ts). A MIRROR run, when completed, sends a `delete` row for
 * each entity the stream's last completed run had and this one has not.
 */
export class SyncRunService {
  constructor(
    private readonly db: Database,
    private readonly events: EventService,
  ) {}

  async start(input: SyncRunStartInput, tenantId: string): Promise<SyncRunEntity> {
    validateEventType(input.stream, 'stream');
    const entityIdField = validatePath(input.entityIdField ?? 'id', ['entityIdField']);
    if (await this.db.manager.existsBy(SyncRunEntity, { tenantId, stream: input.stream, status: In(['RUNNING', 'COMPLETING']) })) {
      throw new UserError(['stream'], `stream "${input.stream}" has a run in progress: complete it first`, 'INVALID_STATE');
    }
    const run: SyncRunEntity = {
      id: newId('syncRun'),
      tenantId,
      stream: input.stream,
      mode: input.mode,
      entityIdField,
      status: 'RUNNING',
      rowCount: 0,
      deleteCount: 0,
      delivered: 0,
      failed: 0,
      outcome: null,
      createdAt: new Date(),
      completedAt: null,
      finishedAt: null,
    };
    await this.db.manager.insert(SyncRunEntity, run as QueryDeepPartialEntity<SyncRunEntity>);
    return run;
  }

  /** Publishes rows of a RUNNING run, numbered after its earlier rows. */
  async addRows(runId: string, input: SyncRowsInput, scope: Scope): Promise<{ run: SyncRunEntity; events: EventEntity[] }> {
    const run = await this.require(runId, scope, 'runId');
    if (run.status !== 'RUNNING') throw new UserError(['runId'], `the run is ${run.status}; rows go to a RUNNING run`, 'INVALID_STATE');
    if (input.syncMode && input.syncMode !== run.mode) {
      throw new UserError(['syncMode'], `the run's mode is ${run.mode}; leave syncMode out or give that`, 'INVALID');
    }
    const events = await this.publishRows(run, input.rows, {
      type: input.type ?? run.stream,
      entityIdField: input.entityIdField,
      traceParent: input.traceParent,
    });
    return { run: (await this.get(run.id))!, events };
  }

  /**
   * Takes no more rows; a MIRROR run first publishes its delete rows. Completing a run a
   * stopped process left COMPLETING resumes it: rows already sent are not sent twice.
   */
  async complete(id: string, scope: Scope): Promise<SyncRunEntity> {
    const run = await this.require(id, scope, 'id');
    if (run.status === 'RUNNING') {
      const claimed = await this.db.manager.update(SyncRunEntity, { id, status: 'RUNNING' }, { status: 'COMPLETING' });
      if (!claimed.affected) return this.complete(id, scope);
    } else if (run.status !== 'COMPLETING') {
      throw new UserError(['id'], `the run is ${run.status} already`, 'INVALID_STATE');
    }
    if (run.mode === 'MIRROR') await this.publishDeletes(run);
    await this.db.manager.update(SyncRunEntity, { id, status: 'COMPLETING' }, { status: 'COMPLETED', completedAt: new Date() });
    return (await this.get(id))!;
  }

  get(id: string): Promise<SyncRunEntity | null> {
    return this.db.manager.findOneBy(SyncRunEntity, { id });
  }

  require(id: string, scope: Scope, field: string): Promise<SyncRunEntity> {
    return this.get(id).then((run) => visible(scope, run, field, 'sync run', id));
  }

  list(args: PageArgs & { stream?: string | null }, scope: Scope) {
    const query = this.db.manager.createQueryBuilder(SyncRunEntity, 'r');
    if (scope.tenantId) query.andWhere('r.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (args.stream) query.andWhere('r.stream = :stream', { stream: args.stream });
    return paginate(query, args);
  }

  /** Counted from the run's deliveries now; a FINISHED run's counts are kept on it. */
  async progress(run: SyncRunEntity): Promise<RunProgress> {
    if (run.status === 'FINISHED') return { delivered: run.delivered, failed: run.failed, open: 0 };
    const counts = await runDeliveryCounts(this.db, run.id);
    const sum = (statuses: DeliveryStatus[]) => statuses.reduce((n, s) => n + (counts[s] ?? 0), 0);
    return { delivered: sum(['SUCCEEDED']), failed: sum(FAILED_STATUSES), open: sum(['PENDING', 'IN_FLIGHT', 'RETRY_SCHEDULED']) };
  }

  /** Marks a COMPLETED run FINISHED when its deliveries are final; true for the one caller that did. */
  async finishIfDone(run: SyncRunEntity): Promise<SyncRunEntity | null> {
    const { delivered, failed, open } = await this.progress(run);
    if (open > 0) return null;
    const outcome: SyncRunOutcome = failed === 0 ? 'SUCCEEDED' : delivered === 0 ? 'FAILED' : 'PARTIAL';
    const finished = { status: 'FINISHED' as const, delivered, failed, outcome, finishedAt: new Date() };
    const result = await this.db.manager.update(SyncRunEntity, { id: run.id, status: 'COMPLETED' }, finished);
    return result.affected ? { ...run, ...finished } : null;
  }

  completedRuns(): Promise<SyncRunEntity[]> {
    return this.db.manager.find(SyncRunEntity, { where: { status: 'COMPLETED' }, order: { id: 'ASC' }, take: 100 });
  }

  private async publishDeletes(run: SyncRunEntity): Promise<void> {
    const previous = await this.db.manager.findOne(SyncRunEntity, {
      where: { tenantId: run.tenantId, stream: run.stream, status: In(['COMPLETED', 'FINISHED']) },
      order: { completedAt: 'DESC' },
    });
    if (!previous) return;
    let after = '';
    for (;;) {
      const missing = await entityIdsMissingFrom(this.db, previous.id, run.id, after, DELETE_BATCH);
      if (!missing.length) return;
      const rows = missing.map((entityId) => ({ [run.entityIdField]: entityId }));
      await this.publishRows(run, rows, { type: run.stream, entityIdField: run.entityIdField, syncOp: 'delete' });
      after = missing.at(-1)!;
    }
  }

  /** Reserves the rows' numbers on the run, then publishes them; the reservation is undone if the publish fails. */
  private async publishRows(
    run: SyncRunEntity,
    rows: unknown[],
    options: { type: string; entityIdField?: string | null; traceParent?: string | null; syncOp?: 'delete' },
  ): Promise<EventEntity[]> {
    const deletes = options.syncOp === 'delete';
    const firstRow = await this.db.transaction(async (tx) => {
      await tx.update(SyncRunEntity, { id: run.id }, countChange(rows.length, deletes));
      return (await tx.findOneByOrFail(SyncRunEntity, { id: run.id })).rowCount - rows.length + 1;
    });
    try {
      const { events } = await this.events.publishBatch({
        tenantId: run.tenantId,
        type: options.type,
        syncMode: run.mode,
        rows,
        entityIdField: options.entityIdField ?? run.entityIdField,
        traceParent: options.traceParent,
        run: { id: run.id, firstRow, syncOp: options.syncOp ?? null },
      });
      return events;
    } catch (error) {
      await this.db.manager.update(SyncRunEntity, { id: run.id }, countChange(-rows.length, deletes));
      throw error;
    }
  }
}

/** The change of a run's row counters by `n` rows (negative to undo), delete rows counted apart too. */
function countChange(n: number, deletes: boolean): QueryDeepPartialEntity<SyncRunEntity> {
  const change: QueryDeepPartialEntity<SyncRunEntity> = { rowCount: () => `row_count + (${n})` };
  if (deletes) change.deleteCount = () => `delete_count + (${n})`;
  return change;
}
