import { AUTH_CODES, createClient, HookgraphError, NetworkError, type ClientOptions, type HookgraphClient } from '@hookgraph/client';
import { Option, type Command } from 'commander';
import { CliError, ExitCode } from './exit-codes';

export const DEFAULT_URL = 'http://127.0.0.1:4000';

/** `--url` and `--key`, on the program so that every command takes them. */
export function addConnectionOptions(program: Command): void {
  program
    .addOption(new Option('--url <url>', 'the hookgraph server').env('HOOKGRAPH_URL').default(DEFAULT_URL))
    .addOption(new Option('--key <key>', 'API key (Authorization: Bearer)').env('HOOKGRAPH_KEY'));
}

/** A client for the server the command line names. */
export function clientFor(command: Command, extra: Omit<ClientOptions, 'url' | 'key'> = {}): HookgraphClient {
  const { url, key } = command.optsWithGlobals<{ url: string; key?: string }>();
  if (!/^https?:\/\//.test(url)) throw new CliError(`--url must be an http(s) URL, got ${url}`, ExitCode.USAGE);
  return createClient({ ...extra, url, key });
}

/** The exit code and message for whatever a command threw. */
export function explain(error: unknown): { exitCode: ExitCode; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (error instanceof NetworkError) return { exitCode: ExitCode.AUTH_OR_NETWORK, message: error.message };
  if (error instanceof HookgraphError) {
    if (AUTH_CODES.has(error.code)) return { exitCode: ExitCode.AUTH_OR_NETWORK, message: `${error.message} (${error.code}: check --key / HOOKGRAPH_KEY)` };
    return { exitCode: ExitCode.FAILURE, message: `${error.message} (${error.code})` };
  }
  return { exitCode: ExitCode.FAILURE, message: error instanceof Error ? error.message : String(error) };
}
