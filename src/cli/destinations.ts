import type { Command } from 'commander';
import { clientFor } from './connection';
import { CliError, ExitCode } from './exit-codes';
import { collect } from './pages';
import { followJob, reportJob } from './jobs';
import { jsonOption, parseJsonOption, parseLimit, parseWhen, printJson, printTable, refuseOnUserErrors } from './output';

/** `hookgraph destinations list | test | recover`. */
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

  destinations
    .command('recover')
    .description("send again the destination's deliveries that FAILED in a time window, as a bulk job followed to its end")
    .argument('<id>', 'the destination id')
    .requiredOption('--since <when>', 'from this time: ISO 8601, or how long ago (90m, 6h, 7d)', (text: string) => parseWhen('--since', text))
    .option('--until <when>', 'up to this time (default: now)', (text: string) => parseWhen('--until', text))
    .option('--dry-run', 'only count them')
    .addOption(jsonOption())
    .action(async (id: string, opts: { since: Date; until?: Date; dryRun?: boolean; json?: boolean }, command: Command) => {
      const client = clientFor(command);
      const window = { since: opts.since, until: opts.until };
      try {
        // Counted first: nothing to recover starts no job.
        const counted = await client.jobs.recover(id, window, { dryRun: true });
        refuseOnUserErrors(counted.userErrors);
        if (opts.dryRun || !counted.matched) {
          if (opts.json) return printJson({ matched: counted.matched });
          process.stdout.write(opts.dryRun ? `${counted.matched} would be sent again\n` : 'nothing to recover\n');
          return;
        }
        const started = await client.jobs.recover(id, window);
        refuseOnUserErrors(started.userErrors);
        reportJob(await followJob(client, started.job!.id), opts.json);
      } finally {
        await client.dispose();
      }
    });
}
