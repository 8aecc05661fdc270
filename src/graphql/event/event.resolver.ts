import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { RECENT_EVENTS } from '../../domain/event/event.service';
import type { Principal } from '../../domain/api-key/api-key.service';
import { UserError } from '../../domain/common/user-error';
import type { Scope } from '../../domain/tenant/scope';
import type { Services } from '../../services';
import type { Context } from '../context';
import { PageArgsType } from '../common/page.args';
import { Connection, toConnection } from '../common/relay';
import { mutationPayload, toUserErrorType } from '../common/user-error.type';
import { toDeliveryType } from '../delivery/delivery.type';
import { toSyncRunType } from '../sync-run/sync-run.resolver';
import { EventPublishBatchInput, EventPublishInput } from './event.input';
import { EventPublishBatchPayload, EventPublishPayload } from './event.payload';
import { EventType } from './event.type';

export const EventConnection = Connection(EventType, 'Event');

/** The caller's scope, narrowed to one tenant when a uid is given (TENANT_NOT_FOUND outside it). */
async function narrowed(tenant: string | null, services: Services, principal: Principal): Promise<Scope> {
  return tenant == null ? principal : { tenantId: await services.tenants.resolve(tenant, principal, ['tenant']) };
}

@Resolver(() => EventType)
export class EventResolver {
  @Authorized('VIEWER')
  @Query(() => EventConnection)
  async events(
    @Args() page: PageArgsType,
    @Arg('type', () => [String], { nullable: true }) type: string[] | null,
    @Arg('tenant', () => String, { nullable: true, description: "Only this tenant's events (its uid)." }) tenant: string | null,
    @Ctx() { services, principal }: Context,
  ) {
    return toConnection(EventConnection, await services.events.list({ ...page, type }, await narrowed(tenant, services, principal)), (e) => e);
  }

  @Authorized('VIEWER')
  @Query(() => [String], { description: `The distinct event types among the latest ${RECENT_EVENTS} events (of one tenant, with its uid), sorted.` })
  async recentEventTypes(
    @Arg('tenant', () => String, { nullable: true, description: "Only this tenant's events (its uid)." }) tenant: string | null,
    @Ctx() { services, principal }: Context,
  ) {
    return services.events.recentTypes(await narrowed(tenant, services, principal));
  }

  @Authorized('PUBLISHER')
  @Mutation(() => EventPublishPayload)
  eventPublish(@Arg('input') input: EventPublishInput, @Ctx() { services, principal, traceparent }: Context) {
    const timer = services.metrics.publishDuration.startTimer();
    const span = services.tracing.publish(input.type, traceparent);
    return mutationPayload(async () => {
      const tenantId = await services.tenants.resolve(input.tenant, principal);
      const { event, deliveries, replayed } = await services.events.publish({ ...input, tenantId, traceParent: span.traceparent });
      return { event, deliveries: deliveries.map(toDeliveryType), replayed };
    }).finally(() => {
      span.end();
      timer();
    });
  }

  @Authorized('PUBLISHER')
  @Mutation(() => EventPublishBatchPayload)
  eventPublishBatch(@Arg('input') input: EventPublishBatchInput, @Ctx() { services, principal, traceparent }: Context) {
    const timer = services.metrics.publishDuration.startTimer();
    const span = services.tracing.publish(input.type ?? 'sync.rows', traceparent);
    return mutationPayload(async () => {
      const { events, runId, type, syncMode, ...rest } = input;
      if (events) {
        if (rest.rows || runId) throw new UserError(['events'], 'give either rows or events, not both', 'INVALID');
        const tenantIds = await Promise.all(events.map((e) => services.tenants.resolve(e.tenant ?? input.tenant, principal)));
        const outcomes = await services.events.publishEach(events.map((e, i) => ({ ...e, tenantId: tenantIds[i], traceParent: span.traceparent })));
        const results = outcomes.map((o) =>
          o instanceof UserError
            ? { event: null, replayed: false, userErrors: [toUserErrorType(o)] }
            : { event: o.event, replayed: o.replayed, userErrors: [] },
        );
        return { events: results.flatMap((r) => (r.event ? [r.event] : [])), results };
      }
      const { rows } = rest;
      if (!rows) throw new UserError(['rows'], 'give rows (or events)', 'INVALID');
      const asResults = <E>(published: E[]) => published.map((event) => ({ event, replayed: false, userErrors: [] }));
      if (runId) {
        const added = await services.syncRuns.addRows(runId, { ...rest, rows, type, syncMode, traceParent: span.traceparent }, principal);
        return { events: added.events, results: asResults(added.events), run: toSyncRunType(added.run) };
      }
      if (!type) throw new UserError(['type'], 'is required without runId', 'INVALID');
      if (!syncMode) throw new UserError(['syncMode'], 'is required without runId', 'INVALID');
      const tenantId = await services.tenants.resolve(input.tenant, principal);
      const published = await services.events.publishBatch({ ...rest, rows, type, syncMode, tenantId, traceParent: span.traceparent });
      return { events: published.events, results: asResults(published.events) };
    }).finally(() => {
      span.end();
      timer();
    });
  }
}
