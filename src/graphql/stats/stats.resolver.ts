import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Stats } from '../../domain/stats/stats.service';
import { inScope } from '../../domain/tenant/scope';
import { SECOND } from '../../domain/common/time';
import type { Context } from '../context';
import { forbidden } from '../errors';
import { LARGE_FIELD_COST } from '../limits/query-cost';
import { DestinationType } from '../destination/destination.type';
import { TenantType } from '../tenant/tenant.type';
import { AttemptStatsType, StatsArgs } from './stats.type';

/** A series of up to 744 buckets: costed like a large field. */
const STATS_COST = { complexity: LARGE_FIELD_COST };

function toStatsType(stats: Stats): AttemptStatsType {
  const { bucketMs, ...rest } = stats;
  return { ...rest, bucketSeconds: bucketMs / SECOND };
}

/** Destination.stats: whoever sees the destination sees its statistics. */
@Resolver(() => DestinationType)
export class DestinationStatsResolver {
  @FieldResolver(() => AttemptStatsType, { ...STATS_COST, description: "The destination's delivery attempts between since and until." })
  async stats(@Root() destination: DestinationType, @Args() { since, until }: StatsArgs, @Ctx() { services }: Context): Promise<AttemptStatsType> {
    return toStatsType(await services.stats.forDestination(destination.id, since, until));
  }
}

/** Tenant.stats: the attempts of all its destinations; a tenant's key or portal token reads only its own. */
@Resolver(() => TenantType)
export class TenantStatsResolver {
  @FieldResolver(() => AttemptStatsType, { ...STATS_COST, description: "The delivery attempts of all the tenant's destinations between since and until." })
  async stats(@Root() tenant: TenantType, @Args() { since, until }: StatsArgs, @Ctx() { services, principal }: Context): Promise<AttemptStatsType> {
    if (!inScope(principal, tenant.id)) throw forbidden("a key of one tenant reads only its own tenant's statistics");
    return toStatsType(await services.stats.forTenant(tenant.id, since, until));
  }
}
