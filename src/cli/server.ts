import type { Command } from 'commander';
import type { Config } from '../config';
import { usageError } from './exit-codes';
import { limitHeapGrowth } from './heap-growth';

// The server's modules load only for these commands: the client commands start faster without them.
async function config(): Promise<Config> {
  const { ConfigError, loadConfig } = await import('../config.js');
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(`configuration error: ${error.message}`);
    throw error;
  }
}

/** `hookgraph serve` (the default command) and `hookgraph migrate`: this process is the server. */
export function serverCommands(program: Command): void {
  program
    .command('serve', { isDefault: true })
    .description('run the API server (applies pending migrations on SQLite)')
    // With serve the default, `hookgraph bogus` arrives here as an argument: refuse it.
    .allowExcessArguments()
    .action(async (_opts: unknown, command: Command) => {
      if (command.args.length) throw usageError(`unknown command '${command.args[0]}' (see hookgraph --help)`);
      limitHeapGrowth();
      await import('reflect-metadata');
      const { startHookgraph } = await import('../main.js');
      const app = await startHookgraph(await config());
      const { url, initialAdminKey } = app;
      const lines = [`hookgraph is running`, `  GraphQL API:  ${url}/graphql`, `  dashboard:    ${url}/dashboard`];
      if (initialAdminKey) {
        lines.push(`  admin key:    ${initialAdminKey}`, '  (shown once: store it now; create more with `hookgraph keys create`)');
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
      // The server runs until a signal; shutdown exits the process.
      await new Promise<never>(() => undefined);
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const { Database } = await import('../database/database.js');
      const db = await Database.open((await config()).database);
      try {
        const applied = await db.migrate();
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
      } finally {
        await db.close();
      }
    });
}
