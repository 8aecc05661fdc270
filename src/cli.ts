#!/usr/bin/env node
// First: it sets NODE_ENV before anything loads graphql.
import './cli/production-env';
import { Command, CommanderError } from 'commander';
import { version } from '../package.json';
import { addConnectionOptions, explain } from './cli/connection';
import { deliveriesCommand } from './cli/deliveries';
import { destinationsCommand } from './cli/destinations';
import { ExitCode } from './cli/exit-codes';
import { jobsCommand } from './cli/jobs';
import { keysCommand } from './cli/keys';
import { publishCommand } from './cli/publish';
import { serverCommands } from './cli/server';
import { tailCommand } from './cli/tail';

const program = new Command('hookgraph')
  .description('Webhook delivery service and gateway with a GraphQL API')
  .version(version, '-V, --version')
  // Commander's own refusals (unknown command or option, missing argument) exit 2, not 1.
  .exitOverride()
  .showHelpAfterError('(run hookgraph --help for usage)');
addConnectionOptions(program);
serverCommands(program);
keysCommand(program);
destinationsCommand(program);
publishCommand(program);
deliveriesCommand(program);
jobsCommand(program);
tailCommand(program);

program.parseAsync(process.argv).then(
  // Keep-alive sockets of fetch would hold the process; a finished command is done.
  () => process.exit(ExitCode.OK),
  (error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE);
    const { exitCode, message } = explain(error);
    process.stderr.write(`hookgraph: ${message}\n`);
    process.exit(exitCode);
  },
);
