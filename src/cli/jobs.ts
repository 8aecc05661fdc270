import type { BulkJobFieldsFragment, BulkJobStatus, HookgraphClient } from '@hookgraph/client';
import type { Command } from 'commander';
import { clientFor } from './connection';
import { CliError, ExitCode } from './exit-codes';
import { collect } from './pages';
import { jsonOption, parseLimit, parseStatuses, printJson, printTable, refuseOnUserErrors } from './output';
import { startProgress } from './progress';

const STATUSES: readonly BulkJobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const ENDED: BulkJobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** `hookgraph jobs list | watch | cancel`. */
export function jobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('bulk jobs: retries, recoveries and replays running in the background');

  jobs
    .command('list')
    .description('list bulk jobs, newest first')
    .option('--status <statuses>', `only these statuses (comma-separated: ${STATUSES.join(', ')})`, parseStatuses(STATUSES))
    .option('--limit <n>', 'at most this many', parseLimit, 20)
    .addOption(jsonOption())
    .action(async (opts: { status?: BulkJobStatus[]; limit: number; json?: boolean }, command: Command) => {
      const client = clientFor(command);
      const nodes = await collect((page) => client.jobs.list(opts.status ?? null, page), opts.limit);
      if (opts.json) return printJson(nodes);
      printTable(
        ['ID', 'KIND', 'STATUS', 'DONE', 'TOTAL', 'CREATED'],
        nodes.map((j) => [j.id, j.kind, j.status, j.done, j.total, j.createdAt]),
      );
    });

  jobs
    .command('watch')
    .description('follow a job to its end; exit 1 unless it SUCCEEDED')
    .argument('<id>', 'the job id')
    .addOption(jsonOption())
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const client = clientFor(command);
      try {
        await reportJob(await followJob(client, id), opts.json);
      } finally {
        await client.dispose();
      }
    });

  jobs
    .command('cancel')
    .description('stop a QUEUED or RUNNING job after its current batch (what it did stays done)')
    .argument('<id>', 'the job id')
    .addOption(jsonOption())
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const cancelled = await clientFor(command).jobs.cancel(id);
      refuseOnUserErrors(cancelled.userErrors);
      if (opts.json) printJson(cancelled.job);
      else process.stdout.write(`${cancelled.job?.id} ${cancelled.job?.status} (${cancelled.job?.done} of ${cancelled.job?.total} done)\n`);
    });
}

/** Waits for the job to end, showing its progress on a terminal; its last state. A job the key cannot see is an error. */
export async function followJob(client: HookgraphClient, id: string): Promise<BulkJobFieldsFragment> {
  const stored = await client.jobs.get(id);
  if (!stored) throw new CliError(`no bulk job ${id} (or not one this key may see)`, ExitCode.FAILURE);
  if (ENDED.includes(stored.status)) return stored;
  let progress: ReturnType<typeof startProgress> | null = null;
  return new Promise<BulkJobFieldsFragment>((resolve, reject) => {
    const stop = client.subscribeJob(
      id,
      (job) => {
        progress ??= startProgress(job.kind.toLowerCase(), Math.max(job.total, 1));
        progress.update(job.done, job.done);
        if (!ENDED.includes(job.status)) return;
        stop();
        resolve(job);
      },
      {
        error: (error: unknown) => reject(error instanceof Error ? error : new CliError(`the progress stream failed: ${String(error)}`, ExitCode.FAILURE)),
        complete: () => reject(new CliError('the progress stream ended before the job did', ExitCode.FAILURE)),
      },
    );
  }).finally(() => progress?.stop());
}

/** A finished job's line (or JSON); exit 1 unless it SUCCEEDED. */
export function reportJob(job: BulkJobFieldsFragment, json?: boolean): void {
  if (json) printJson(job);
  else process.stdout.write(`${job.id} ${job.status}: ${job.done} of ${job.total} done${job.error ? ` (${job.error})` : ''}\n`);
  if (job.status !== 'SUCCEEDED') throw new CliError(`the job ended ${job.status}`, ExitCode.FAILURE);
}
