import type { Command } from 'commander';
import { clientFor } from './connection';
import { CliError, ExitCode } from './exit-codes';
import { collect } from './pages';
import { jsonOption, parseJsonOption, parseLimit, printJson, printTable, refuseOnUserErrors } from './output';

/** `hookgraph destinations list | test`. */
export function destinationsCommand(program: Command): void {
  const destinations = program.command('destinations').description('where webhooks are sent');

  destinations
    .command('list')
    .description('list destinations')
    .option('--limit <n>', 'at most this many', parseLimit, 100)
    .addOption(jsonOption())
    .action(async (opts: { limit: number; json?: boolean }, command: Command) => {
      const client = clientFor(command);
      const nodes = await collect((page) => client.destinations.list(page), opts.limit);
      if (opts.json) return printJson(nodes);
      printTable(
        ['ID', 'NAME', 'STATUS', 'METHOD', 'URL'],
        nodes.map((d) => [d.id, d.name, d.status, d.method, d.url]),
      );
    });

  destinations
    .command('test')
    .description('send a sample (or --data) to the destination now; exit 1 unless it succeeds')
    .argument('<id>', 'the destination id')
    .option('--data <json>', 'the event data to send')
    .option('--event-type <type>', 'the event type to send')
    .addOption(jsonOption())
    .action(async (id: string, opts: { data?: string; eventType?: string; json?: boolean }, command: Command) => {
      const data = parseJsonOption('--data', opts.data);
      const tested = await clientFor(command).destinations.test(id, { data, eventType: opts.eventType });
      refuseOnUserErrors(tested.userErrors);
      const attempt = tested.attempt;
      if (opts.json) printJson({ delivery: tested.delivery, attempt });
      else
        process.stdout.write(
          `${attempt?.outcome} ${attempt?.responseStatusCode ?? '-'} ${attempt?.durationMs} ms${attempt?.error ? ` ${attempt.error}` : ''}\n`,
        );
      if (attempt?.outcome !== 'SUCCESS') throw new CliError(`test send failed: ${attempt?.outcome ?? 'no attempt'}`, ExitCode.FAILURE);
    });
}
