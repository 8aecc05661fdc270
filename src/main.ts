import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { Database } from './database/database';
import { Dispatcher } from './dispatch/dispatcher';
import { Retention } from './dispatch/retention';
import { SyncRunFinisher } from './domain/sync-run/sync-run-finisher';
import { upgradeDestinationSecrets } from './domain/destination/destination-secrets.upgrade';
import { upgradeListenerSecrets } from './domain/listener/listener-secrets.upgrade';
import { resolveMasterKey } from './domain/secrets/master-key';
import { RevocationWatch } from './domain/api-key/revocation-watch';
import { JobProgressWatch } from './domain/job/job-progress-watch';
import { PortalWatch } from './domain/portal/portal-watch';
import type { Clock } from './domain/common/clock';
import { SECOND } from './domain/common/time';
import { SecretBox } from './domain/secrets/secret-box';
import { TenantDeletion } from './domain/tenant/tenant-deletion';
import { JobRunner } from './domain/job/job-runner';
import { buildHookgraphSchema } from './graphql/schema';
import { createLogger, type Logger } from './logger';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { startRealtime, type Realtime } from './graphql/realtime/realtime';
import { dashboardRoutes } from './server/dashboard/dashboard.route';
import { docsRoutes } from './server/docs/docs.route';
import { metricsRoute } from './observability/metrics.route';
import { operationLogPlugin } from './observability/operation-log.plugin';
import { logStatusChanges } from './observability/status-log';
import { playground } from './server/playground/playground.route';
import { portalRoutes } from './server/portal/portal.route';
import { inboundRoute } from './server/listener/inbound.route';
import { listenerRateLimiter } from './server/listener/listener-rate-limiter';
import { createApollo, graphqlHttpHandler } from './server/graphql-http';
import { attachGraphqlWs } from './server/graphql-ws';
import { createHttpServer, type Routes } from './server/http-server';
import { createServices, type Services } from './services';

export interface App {
  url: string;
  services: Services;
  log: Logger;
  /** Live updates: pub/sub and the hub of local subscribers. */
  realtime: Realtime;
  /** A freshly made admin key when this start created the first one, else null. */
  initialAdminKey: string | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Apply pending migrations (the embedded default does); otherwise refuse to start with them pending. */
  migrate?: boolean;
  logger?: Logger;
  /** The time portal tokens expire by; tests pass one they move. */
  clock?: Clock;
}

/**
 * How often the database is asked for tenants whose portal access changed in another
 * process: it bounds how late a revocation counts there. With Redis the news comes at
 * once, and the look only catches what a lost message missed.
 */
const PORTAL_LOOK_MS = { withoutRedis: 1 * SECOND, withRedis: 10 * SECOND };

/** Start-up order: database → services → schema → realtime → HTTP + WS → dispatcher and retention; stop() runs it backwards. */
export async function startHookgraph(config: Config, options: StartOptions = {}): Promise<App> {
  const log = options.logger ?? createLogger(config.logLevel);
  const master = resolveMasterKey(config);
  if (master.generatedAt) log.warn({ file: master.generatedAt }, 'generated a master key for secrets at rest (development only)');
  const db = await Database.open(config.database);
  const box = new SecretBox(master.key);
  try {
    if (options.migrate ?? db.embedded) {
      const applied = await db.migrate();
      if (applied.length) log.info({ applied }, 'applied migrations');
    } else if (await db.pendingMigrations()) {
      throw new Error('the database has pending migrations: run `hookgraph migrate` (npm run migrate) first');
    }
    await db.assertExclusiveClaims();
    // Secrets stored by earlier versions; it needs the master key, so it is no migration.
    const upgraded = { destinations: await upgradeDestinationSecrets(db, box), listeners: await upgradeListenerSecrets(db, box) };
    if (upgraded.destinations || upgraded.listeners) log.info(upgraded, 'brought secrets at rest up to date');
  } catch (error) {
    await db.close();
    throw error;
  }

  const services = createServices(config, db, box, options.clock);
  const stopStatusLog = logStatusChanges(services.signals, log);
  const schema = await buildHookgraphSchema();
  let realtime: Realtime;
  try {
    realtime = await startRealtime(services, log);
  } catch (error) {
    await services.http.close();
    await db.close();
    throw error;
  }
  const revocations =
    realtime.pubsub.mode === 'in-process'
      ? new RevocationWatch(services.apiKeys, services.signals, (error) => log.warn({ err: error }, 'looking for revoked API keys failed'))
      : null;
  revocations?.start();
  const jobProgress =
    realtime.pubsub.mode === 'in-process'
      ? new JobProgressWatch(
          db,
          services.signals,
          () => realtime.hub.wants('bulkJobProgress'),
          (error) => log.warn({ err: error }, 'looking for bulk job progress failed'),
        )
      : null;
  jobProgress?.start();
  const portalWatch = new PortalWatch(
    db,
    services.portal.generations,
    realtime.pubsub.mode === 'redis' ? PORTAL_LOOK_MS.withRedis : PORTAL_LOOK_MS.withoutRedis,
    (error) => log.warn({ err: error }, 'looking for revoked portal access failed'),
  );
  try {
    await portalWatch.start();
  } catch (error) {
    await revocations?.stop();
    await jobProgress?.stop();
    await realtime.stop();
    await services.http.close();
    await db.close();
    throw error;
  }
  const listenerBuckets = listenerRateLimiter(config, log);
  const page = playground();
  // The server exists before Apollo (its drain plugin needs it); /graphql is bound once Apollo runs.
  const routes: Routes = {
    graphql: async () => undefined,
    extra: {
      ...page.routes,
      ...docsRoutes(),
      ...dashboardRoutes(),
      ...portalRoutes(config.portalFrameAncestors),
      '/in/': inboundRoute(services, log, listenerBuckets),
      '/metrics': metricsRoute(services.metrics, config.metricsToken),
    },
    readiness: realtime.pubsub.mode === 'redis' ? { redis: () => realtime.pubsub.ping() } : {},
  };
  const server = createHttpServer(services, routes, log);
  const ws = attachGraphqlWs(server, schema, services, realtime, log);
  const apollo = createApollo(schema, services, [ws.drainPlugin, ApolloServerPluginDrainHttpServer({ httpServer: server }), operationLogPlugin(log)]);
  try {
    await apollo.start();
    routes.graphql = page.around(graphqlHttpHandler(apollo, services));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(config) : error));
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await ws.dispose();
    await apollo.stop().catch(() => undefined);
    await portalWatch.stop();
    await revocations?.stop();
    await jobProgress?.stop();
    await listenerBuckets.stop();
    await realtime.stop();
    await services.http.close();
    await db.close();
    throw error;
  }
  // Made only once the server listens: a first start that fails before serving leaves
  // no key behind, and the next start makes (and prints) one.
  const initialAdminKey = await services.apiKeys.ensureInitialAdminKey();
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  services.publicUrl = config.publicUrl ?? url;
  log.info({ url: `${url}/graphql`, profile: config.profile, database: config.database.kind }, 'hookgraph is listening');
  if (config.profile === 'development') {
    log.info('development profile: outbound requests may reach loopback addresses (127.0.0.0/8, ::1); production blocks them');
  }
  const dispatcher = config.dispatch.enabled ? new Dispatcher({ ...services, log }, config.dispatch) : null;
  dispatcher?.start();
  services.metrics.countLive({ inFlight: () => dispatcher?.inFlight ?? 0, subscriptionsOpen: () => realtime.hub.stats().subscribers });
  // Housekeeping runs where the delivery engine does.
  const retention = config.dispatch.enabled && config.retention.days > 0 ? new Retention(db, log, config.retention) : null;
  retention?.start();
  const tenantDeletion = config.dispatch.enabled ? new TenantDeletion(db, services.signals, log) : null;
  tenantDeletion?.start();
  const syncRunFinisher = config.dispatch.enabled ? new SyncRunFinisher(services.syncRuns, services.events, log, config.syncRunLookMs) : null;
  syncRunFinisher?.start();
  // Every serving process runs bulk jobs: one started anywhere, or left by a process that died, finishes here.
  const jobRunner = new JobRunner(db, services.signals, services.jobs, log, config.jobs);
  jobRunner.start();

  let stopping: Promise<void> | undefined;
  return {
    url,
    services,
    log,
    realtime,
    initialAdminKey,
    stop: () =>
      (stopping ??= (async () => {
        // The dispatcher first: in-flight deliveries finish or are released while the database is still open.
        await dispatcher?.stop();
        await retention?.stop();
        await tenantDeletion?.stop();
        await syncRunFinisher?.stop();
        await jobRunner.stop();
        // Apollo's drain closes the sockets (graphql-ws, then HTTP) before it stops.
        await apollo.stop();
        await portalWatch.stop();
        await revocations?.stop();
        await jobProgress?.stop();
        await listenerBuckets.stop();
        await realtime.stop();
        services.metrics.stop();
        await services.tracing.shutdown();
        stopStatusLog();
        await services.http.close();
        await db.close();
      })()),
  };
}

function portInUse(config: Config): Error {
  return new Error(`${config.host}:${config.port} is already in use by another program: stop it, or set PORT (or HOST) to listen elsewhere`);
}
