import type { Config } from './config';
import type { Database } from './database/database';
import { HttpClient } from './dispatch/http-client';
import { createAddressPolicy } from './dispatch/ssrf/address-policy';
import { TestSendService } from './dispatch/test-send';
import { ApiKeyService } from './domain/api-key/api-key.service';
import { BulkRetryService } from './domain/delivery/bulk-retry.service';
import { DeliveryService } from './domain/delivery/delivery.service';
import { DestinationService } from './domain/destination/destination.service';
import { EventService } from './domain/event/event.service';
import { ListenerService } from './domain/listener/listener.service';
import { PortalService } from './domain/portal/portal.service';
import { PortalTokens } from './domain/portal/portal-token';
import type { SecretBox } from './domain/secrets/secret-box';
import { systemClock, type Clock } from './domain/common/clock';
import { SyncRunService } from './domain/sync-run/sync-run.service';
import { Signals } from './domain/common/signals';
import { StatsService } from './domain/stats/stats.service';
import { TenantService } from './domain/tenant/tenant.service';
import { Metrics } from './observability/metrics';
import { Tracing } from './observability/tracing';
import { WebhookService } from './domain/webhook/webhook.service';
import { BulkJobService } from './domain/job/bulk-job.service';
import { ReplayWork } from './domain/job/replay.work';
import { RequeueWork } from './domain/job/requeue.work';

/** The domain services of one running hookgraph, wired together once at start. */
export interface Services {
  config: Config;
  db: Database;
  box: SecretBox;
  signals: Signals;
  apiKeys: ApiKeyService;
  destinations: DestinationService;
  webhooks: WebhookService;
  events: EventService;
  deliveries: DeliveryService;
  bulkRetries: BulkRetryService;
  /** Durable bulk jobs (retry, recover, replay); a JobRunner runs them. */
  jobs: BulkJobService;
  /** Outbound HTTP through the SSRF guard: deliveries and test sends. */
  http: HttpClient;
  testSends: TestSendService;
  listeners: ListenerService;
  syncRuns: SyncRunService;
  tenants: TenantService;
  portal: PortalService;
  /** Attempt statistics of destinations and tenants. */
  stats: StatsService;
  /** The time portal tokens expire by (tests move it). */
  clock: Clock;
  /** Prometheus metrics (observability/metrics.ts), served at /metrics. */
  metrics: Metrics;
  /** OpenTelemetry spans of publishes and attempts (observability/tracing.ts). */
  tracing: Tracing;
  /** Where this instance is reached from outside (HOOKGRAPH_PUBLIC_URL, else the listening address). */
  publicUrl: string;
}

export function createServices(config: Config, db: Database, box: SecretBox, clock: Clock = systemClock): Services {
  const signals = new Signals();
  const destinations = new DestinationService(db, box, signals);
  // Late-bound: webhook changes publish system events through the event service, which
  // needs the webhook service and so is made after it (the callback runs only later).
  const webhooks = new WebhookService(
    db,
    destinations,
    async (type, entityId, data, tenantId) => {
      await events.publish({ tenantId, type, entityId, data }, 'SYSTEM');
    },
    signals,
  );
  const events = new EventService(db, webhooks, signals);
  const deliveries = new DeliveryService(db, signals);
  const jobs = new BulkJobService(db, signals, destinations, webhooks, new RequeueWork(db, deliveries, signals), new ReplayWork(db, webhooks, signals));
  const apiKeys = new ApiKeyService(db, signals, config.adminKey);
  // A tenant being deleted: its keys stop here at once (its data goes in the background).
  signals.on('tenantDeleting', (tenant) => apiKeys.forgetTenant(tenant.id));
  const tenants = new TenantService(db, signals);
  const portal = new PortalService(tenants, new PortalTokens(box.deriveKey('portal tokens'), clock));
  // A revocation or a deletion made here counts here at once (pub/sub and PortalWatch tell the others).
  signals.on('tenantPortalRevoked', (tenant) => portal.generations.apply(tenant));
  signals.on('tenantDeleting', (tenant) => portal.generations.apply(tenant));
  const http = new HttpClient({ policy: createAddressPolicy({ profile: config.profile, allowNetworks: config.allowNetworks }) });
  return {
    config,
    db,
    box,
    signals,
    apiKeys,
    destinations,
    webhooks,
    events,
    deliveries,
    bulkRetries: new BulkRetryService(jobs, signals),
    jobs,
    http,
    testSends: new TestSendService({ db, box, signals, http, destinations, webhooks }),
    listeners: new ListenerService(db, box, signals),
    syncRuns: new SyncRunService(db, events),
    tenants,
    portal,
    stats: new StatsService(db),
    clock,
    metrics: new Metrics(db, signals),
    tracing: new Tracing(config.otlpEndpoint),
    publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
  };
}
