import fs from 'node:fs';
import readline from 'node:readline';
import type { Command } from 'commander';
import { clientFor } from './connection';
import { CliError, ExitCode, usageError } from './exit-codes';
import { readEventLines } from './ndjson';
import { jsonOption, parseJsonOption, printJson, refuseOnUserErrors } from './output';
import { startProgress } from './progress';
import { publishLines } from './publish-lines';

interface PublishOptions {
  data?: string;
  entityId?: string;
  idempotencyKey?: string;
  file?: string;
  batchSize: number;
  json?: boolean;
}

function parseBatchSize(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw usageError(`--batch-size must be a whole number from 1 to 1000, got ${text}`);
  return n;
}

/** `hookgraph publish TYPE …` (one event) or `hookgraph publish --file F.ndjson` / stdin (many). */
export function publishCommand(program: Command): void {
  program
    .command('publish')
    .description('publish one event, or many from an NDJSON file or stdin (one {"type","data","entityId"?,"idempotencyKey"?} a line)')
    .argument('[type]', 'the event type (one event)')
    .option('--data <json>', 'the event data')
    .option('--entity-id <id>', 'the entity the event is about')
    .option('--idempotency-key <key>', 'publishing again with this key returns the first event')
    .option('--file <path>', 'NDJSON events to publish ("-": stdin, also the default when stdin is not a terminal)')
    .option('--batch-size <n>', 'events a request when publishing many', parseBatchSize, 500)
    .addOption(jsonOption())
    .action(async (type: string | undefined, opts: PublishOptions, command: Command) => {
      if (type !== undefined) {
        if (opts.file) throw usageError('give an event TYPE or --file, not both');
        return publishOne(command, type, opts);
      }
      if (opts.data || opts.entityId || opts.idempotencyKey) throw usageError('--data, --entity-id and --idempotency-key need an event TYPE');
      const file = opts.file ?? (process.stdin.isTTY ? undefined : '-');
      if (!file) throw usageError('give an event TYPE, or --file F.ndjson, or pipe NDJSON into stdin');
      return publishMany(command, file, opts);
    });
}

async function publishOne(command: Command, type: string, opts: PublishOptions): Promise<void> {
  const data = parseJsonOption('--data', opts.data);
  const published = await clientFor(command).publish({ type, data, entityId: opts.entityId, idempotencyKey: opts.idempotencyKey });
  refuseOnUserErrors(published.userErrors);
  if (opts.json) return printJson(published);
  const deliveries = published.deliveries?.length ?? 0;
  process.stdout.write(
    `${published.replayed ? 'replayed' : 'published'} ${published.event?.id} (${deliveries} ${deliveries === 1 ? 'delivery' : 'deliveries'})\n`,
  );
}

async function publishMany(command: Command, file: string, opts: PublishOptions): Promise<void> {
  let input: NodeJS.ReadableStream;
  let total: number | null = null;
  if (file === '-') input = process.stdin;
  else {
    try {
      total = fs.statSync(file).size;
    } catch (error) {
      throw usageError(`cannot read ${file}: ${(error as Error).message}`);
    }
    input = fs.createReadStream(file);
  }
  const progress = startProgress('publishing', total);
  const lines = readEventLines(readline.createInterface({ input, crlfDelay: Infinity }));
  const summary = await publishLines(clientFor(command), lines, {
    batchSize: opts.batchSize,
    onRefused: (line, reason) => process.stderr.write(`line ${line}: ${reason}\n`),
    onProgress: (bytes, counted) => progress.update(bytes, counted),
  }).finally(() => progress.stop());
  if (opts.json) printJson(summary);
  else process.stdout.write(`published ${summary.published}, replayed ${summary.replayed}, refused ${summary.refused}\n`);
  if (summary.refused) throw new CliError(`${summary.refused} ${summary.refused === 1 ? 'line was' : 'lines were'} refused`, ExitCode.FAILURE);
}
