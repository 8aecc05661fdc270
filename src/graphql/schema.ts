import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { ApiKeyResolver } from './api-key/api-key.resolver';
import { authChecker } from './auth-checker';
import { BulkRetryResolver } from './delivery/bulk-retry.resolver';
import { DeliveryResolver } from './delivery/delivery.resolver';
import { BulkRetrySubscriptionResolver } from './realtime/bulk-retry.subscription';
import { BulkJobSubscriptionResolver } from './realtime/bulk-job.subscription';
import { BulkJobResolver } from './job/bulk-job.resolver';
import { DeliverySubscriptionResolver } from './realtime/delivery.subscription';
import { DestinationSubscriptionResolver } from './realtime/destination.subscription';
import { EventSubscriptionResolver } from './realtime/event.subscription';
import { ListenerSubscriptionResolver } from './realtime/listener.subscription';
import { DestinationResolver } from './destination/destination.resolver';
import { DeliveryAttemptResolver } from './dispatch/delivery-attempt.resolver';
import { DryRunResolver } from './dispatch/dry-run.resolver';
import { TestSendResolver } from './dispatch/test-send.resolver';
import { EventResolver } from './event/event.resolver';
import { ListenerResolver } from './listener/listener.resolver';
import { SyncRunResolver } from './sync-run/sync-run.resolver';
import { NodeResolver } from './node/node.resolver';
import { PortalResolver } from './portal/portal.resolver';
import { schemaPubSub } from './realtime/pubsub';
import { DestinationStatsResolver, TenantStatsResolver } from './stats/stats.resolver';
import { TenantResolver } from './tenant/tenant.resolver';
import { ViewerResolver } from './viewer/viewer.resolver';
import { WebhookResolver } from './webhook/webhook.resolver';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  NodeResolver,
  DestinationResolver,
  WebhookResolver,
  EventResolver,
  DeliveryResolver,
  BulkRetryResolver,
  BulkJobResolver,
  ApiKeyResolver,
  TestSendResolver,
  DeliveryAttemptResolver,
  DryRunResolver,
  DeliverySubscriptionResolver,
  EventSubscriptionResolver,
  DestinationSubscriptionResolver,
  ListenerSubscriptionResolver,
  BulkRetrySubscriptionResolver,
  BulkJobSubscriptionResolver,
  ListenerResolver,
  SyncRunResolver,
  TenantResolver,
  PortalResolver,
  ViewerResolver,
  DestinationStatsResolver,
  TenantStatsResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolvers' decorators. */
export function buildHookgraphSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: RESOLVERS, authChecker, validate: false, pubSub: schemaPubSub });
  return built;
}
