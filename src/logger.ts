import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Paths that may hold secrets anywhere in a log line; pino replaces them. */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'token',
  '*.token',
  'key',
  '*.key',
  'signingSecret',
  '*.signingSecret',
];

/**
 * JSON lines to stdout (for a log collector), readable lines when stdout is a terminal
 * (a person running it), or to `destination` (a test reading the log).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, base: { service: 'hookgraph' }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY) return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
  return pino(options);
}
