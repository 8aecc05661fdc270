import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestApp } from './app';
import { deferred } from './deferred';

const CLI = path.resolve(__dirname, '../../src/cli.js');

export interface ChildApp {
  url: string;
  process: ChildProcess;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }>;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<number | string>;
  /** stdout and stderr so far (for assertion messages). */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/** Runs `hookgraph <args>` to completion (e.g. `migrate`). */
export async function runCli(args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`hookgraph ${args.join(' ')} exited ${code}: ${output}`);
}

/**
 * A real hookgraph in a child process (`hookgraph serve`), for tests that kill it.
 * The caller MUST kill it (tests stop what they start).
 */
export async function startChildApp(env: Record<string, string>, adminKey: string): Promise<ChildApp> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = deferred<number | string>();
  child.on('exit', (code, signal) => exited.resolve(code ?? signal ?? -1));
  const ready = deferred<string>();
  let output = '';
  // The start banner is on stderr, the log on stdout.
  const read = (chunk: Buffer) => {
    output += chunk.toString();
    const match = /GraphQL API:\s+(\S+)\/graphql/.exec(output);
    if (match) ready.resolve(match[1]!);
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  void exited.promise.then((code) => ready.reject(new Error(`hookgraph exited (${code}) before listening: ${output}`)));
  const timer = setTimeout(() => ready.reject(new Error(`hookgraph did not start within 20 s: ${output}`)), 20_000);
  let url: string;
  try {
    url = await ready.promise;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    url,
    process: child,
    exited: exited.promise,
    output: () => output,
    gql: async (query, variables) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: any; errors?: unknown[] };
    },
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited.promise;
    },
  };
}

/**
 * A worker process (`hookgraph serve`) on a test app's database, keys and master key:
 * for suites whose app only publishes (HOOKGRAPH_WORKER_ENABLED=false), so the worker
 * reads everything from the database. The caller MUST kill it.
 */
export function startWorkerFor(t: TestApp, env: Record<string, string> = {}): Promise<ChildApp> {
  const database = t.config.database;
  return startChildApp(
    {
      DATABASE_URL: database.kind === 'mysql' ? database.url : `sqlite:${database.path}`,
      HOOKGRAPH_DATA_DIR: t.config.dataDir,
      HOOKGRAPH_ADMIN_KEY: t.adminKey,
      HOOKGRAPH_SECRET_KEY: t.config.secretKey!.toString('hex'),
      ...env,
    },
    t.adminKey,
  );
}
