import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { Database } from './database';
import { Dispatcher } from './dispatch/dispatcher';
import { resolveMasterKey } from './domain/secrets/master-key';
import { SecretBox } from './domain/secrets/secret-box';
import { buildHookgraphSchema } from './graphql/schema';
import { createLogger, type Logger } from './logger';
import { createApollo, graphqlHttpHandler } from './server/graphql-http';
import { createHttpServer } from './server/http-server';
import { createServices, type Services } from './services';

export interface App {
  url: string;
  services: Services;
  log: Logger;
  /** A freshly made admin key when this start created the first one, else null. */
  initialAdminKey: string | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Apply pending migrations (the embedded default does); otherwise refuse to start with them pending. */
  migrate?: boolean;
  logger?: Logger;
}

/** Start-up order: database → services → schema → HTTP → dispatcher; stop() runs it backwards. */
export async function startHookgraph(config: Config, options: StartOptions = {}): Promise<App> {
  const log = options.logger ?? createLogger(config.logLevel);
  const master = resolveMasterKey(config);
  if (master.generatedAt) log.warn({ file: master.generatedAt }, 'generated a master key for secrets at rest (development only)');
  const db = await Database.open(config.database);
  try {
    if (options.migrate ?? config.database.kind === 'sqlite') {
      const applied = await db.migrate();
      if (applied.length) log.info({ applied }, 'applied migrations');
    } else if (await db.pendingMigrations()) {
      throw new Error('the database has pending migrations: run `hookgraph migrate` (npm run migrate) first');
    }
  } catch (error) {
    await db.close();
    throw error;
  }

  const services = createServices(config, db, new SecretBox(master.key));
  const initialAdminKey = await services.apiKeys.ensureInitialAdminKey();
  const schema = await buildHookgraphSchema();
  const apollo = createApollo(schema, services);
  await apollo.start();
  const server = createHttpServer(services, { graphql: graphqlHttpHandler(apollo, services) }, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  log.info({ url: `${url}/graphql`, profile: config.profile, database: config.database.kind }, 'hookgraph is listening');
  if (config.profile === 'development') {
    log.info('development profile: outbound requests may reach loopback addresses (127.0.0.0/8, ::1); production blocks them');
  }
  const dispatcher = config.dispatch.enabled ? new Dispatcher({ ...services, log }, config.dispatch) : null;
  dispatcher?.start();

  let stopping: Promise<void> | undefined;
  return {
    url,
    services,
    log,
    initialAdminKey,
    stop: () =>
      (stopping ??= (async () => {
        // The dispatcher first: in-flight deliveries finish or are released while the database is still open.
        await dispatcher?.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await apollo.stop();
        await services.http.close();
        await db.close();
      })()),
  };
}
