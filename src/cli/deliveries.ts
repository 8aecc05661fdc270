import type { BulkRetryFieldsFragment, HookgraphClient } from '@hookgraph/client';
import type { Command } from 'commander';
import { clientFor } from './connection';
import { addFilterOptions, hasFilter, toFilter, type FilterOptions } from './delivery-filter';
import { CliError, ExitCode, usageError } from './exit-codes';
import { collect } from './pages';
import { formatUserError, jsonOption, parseJsonOption, parseLimit, printJson, printTable, refuseOnUserErrors } from './output';
import { startProgress } from './progress';

interface RetryOptions extends FilterOptions {
  filter?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** `hookgraph deliveries list | retry`. */
export function deliveriesCommand(program: Command): void {
  const deliveries = program.command('deliveries').description('deliveries of events to destinations');

  addFilterOptions(deliveries.command('list').description('list deliveries, newest first'))
    .option('--limit <n>', 'at most this many', parseLimit, 50)
    .addOption(jsonOption())
    .action(async (opts: FilterOptions & { limit: number; json?: boolean }, command: Command) => {
      const client = clientFor(command);
      const nodes = await collect((page) => client.deliveries.list(toFilter(opts), page), opts.limit);
      if (opts.json) return printJson(nodes);
      printTable(
        ['ID', 'STATUS', 'EVENT TYPE', 'DESTINATION', 'ATTEMPTS', 'CODE', 'CREATED'],
        nodes.map((d) => [d.id, d.status, d.eventType, d.destination?.name ?? d.destinationId, d.attemptCount, d.lastStatusCode, d.createdAt]),
      );
    });

  addFilterOptions(
    deliveries
      .command('retry')
      .description('queue deliveries again: by id, or every FAILED/CANCELLED one a filter selects (in the background, with live progress)')
      .argument('[ids...]', 'delivery ids'),
  )
    .option('--filter <json>', 'a DeliveryRetryFilter as JSON, e.g. {"eventType":["order.created"]}; "{}" selects every failed or cancelled one')
    .option('--dry-run', 'only count what the filter selects')
    .addOption(jsonOption())
    .action(async (ids: string[], opts: RetryOptions, command: Command) => {
      const client = clientFor(command);
      const bulk = opts.filter !== undefined || hasFilter(opts);
      if (ids.length && bulk) throw usageError('give delivery ids or a filter, not both');
      if (ids.length) return retryEach(client, ids, opts);
      if (!bulk) throw usageError('give delivery ids, or --filter and/or --status, --event-type, --destination, --webhook');
      try {
        return await retryMatching(client, opts);
      } finally {
        await client.dispose();
      }
    });
}

async function retryEach(client: HookgraphClient, ids: string[], opts: RetryOptions): Promise<void> {
  if (opts.dryRun) throw usageError('--dry-run goes with a filter');
  const results = [];
  let refused = 0;
  for (const id of ids) {
    const retried = await client.retry(id);
    results.push({ id, delivery: retried.delivery, userErrors: retried.userErrors });
    if (retried.userErrors.length) {
      refused += 1;
      process.stderr.write(`${id}: ${retried.userErrors.map(formatUserError).join('; ')}\n`);
    } else if (!opts.json) process.stdout.write(`${id} ${retried.delivery?.status}\n`);
  }
  if (opts.json) printJson(results);
  if (refused) throw new CliError(`${refused} of ${ids.length} not retried`, ExitCode.FAILURE);
}

async function retryMatching(client: HookgraphClient, opts: RetryOptions): Promise<void> {
  const given = parseJsonOption('--filter', opts.filter) ?? {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw usageError('--filter must be a JSON object');
  const flags = Object.fromEntries(Object.entries(toFilter(opts)).filter(([, v]) => v !== undefined));
  const started = await client.retryMany({ ...given, ...flags }, { dryRun: !!opts.dryRun });
  refuseOnUserErrors(started.userErrors);
  if (opts.dryRun || !started.bulkRetry) {
    if (opts.json) return printJson({ matched: started.matched });
    process.stdout.write(`${started.matched} would be retried\n`);
    return;
  }
  const job = await followBulkRetry(client, started.bulkRetry);
  if (opts.json) printJson(job);
  else process.stdout.write(`requeued ${job.requeued} of ${job.total}\n`);
  if (job.error) throw new CliError(`the bulk retry stopped early: ${job.error}`, ExitCode.FAILURE);
}

/** Waits for the job to finish, showing its progress on a terminal. */
function followBulkRetry(client: HookgraphClient, job: BulkRetryFieldsFragment): Promise<BulkRetryFieldsFragment> {
  if (job.finished) return Promise.resolve(job);
  const progress = startProgress('retrying', Math.max(job.total, 1));
  return new Promise<BulkRetryFieldsFragment>((resolve, reject) => {
    const stop = client.subscribeBulkRetry(
      job.id,
      (now) => {
        progress.update(now.requeued, now.requeued);
        if (!now.finished) return;
        stop();
        resolve(now);
      },
      { error: reject, complete: () => reject(new CliError('the progress stream ended before the job finished', ExitCode.FAILURE)) },
    );
  }).finally(() => progress.stop());
}
