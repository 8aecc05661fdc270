import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../src/cli.js');

export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout or stderr, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Like waitFor, resolving with what the pattern's first group captured. */
  waitForCapture(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Runs `hookgraph <args>` as a real child process with the given environment; `stdin` is piped in when given. */
export function runCli(args: string[], env: Record<string, string>, stdin?: string): Child {
  return runNode([CLI, ...args], env, undefined, stdin);
}

/** Runs `node <args>` as a real child process with the given environment, in `cwd` (default: this one); `stdin` is piped in when given. */
export function runNode(args: string[], env: Record<string, string>, cwd?: string, stdin?: string): Child {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd,
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) child.stdin!.end(stdin);
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  // Patterns are looked for in both streams: the start banner is on stderr, the log on stdout.
  const settle = () => {
    for (const w of [...waiters]) {
      const m = out.match(w.pattern) ?? err.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    settle();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    settle();
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const waitFor = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const m = out.match(pattern) ?? err.match(pattern);
      if (m) return resolve(m);
      const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${out} stderr: ${err}`)), timeoutMs);
      waiters.push({ pattern, resolve: (match) => (clearTimeout(timer), resolve(match)) });
      void exited.then(() => reject(new Error(`exited before ${pattern}; stdout: ${out} stderr: ${err}`)));
    });
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: (signal = 'SIGTERM') => child.kill(signal),
    waitFor,
    waitForCapture: async (pattern, timeoutMs) => {
      const [, captured] = await waitFor(pattern, timeoutMs);
      if (captured === undefined) throw new Error(`${pattern} matched without capturing a first group`);
      return captured;
    },
  };
}
