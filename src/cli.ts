#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { version } from '../package.json';
import { ConfigError, loadConfig, type Config } from './config';
import { Database } from './database/database';
import { startHookgraph } from './main';

const program = new Command('hookgraph').description('Webhook delivery service and gateway with a GraphQL API').version(version, '-V, --version');

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`hookgraph: configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

program
  .command('serve', { isDefault: true })
  .description('run the API server (applies pending migrations on SQLite)')
  .action(async () => {
    const app = await startHookgraph(config());
    const { url, initialAdminKey } = app;
    const lines = [`hookgraph is running`, `  GraphQL API:  ${url}/graphql`, `  dashboard:    ${url}/dashboard`];
    if (initialAdminKey) {
      lines.push(`  admin key:    ${initialAdminKey}`, '  (shown once: store it now; create more with the apiKeyCreate mutation)');
    }
    // On stderr: stdout carries the log (JSON lines a collector reads).
    process.stderr.write(lines.join('\n') + '\n');
    let signals = 0;
    const shutdown = (signal: string) => {
      signals += 1;
      if (signals > 1) process.exit(130);
      app.log.info({ signal }, 'stopping');
      app.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const db = await Database.open(config().database);
    try {
      const applied = await db.migrate();
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
    } finally {
      await db.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`hookgraph: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
