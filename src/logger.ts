import pino, { type Logger } from 'pino';

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

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'hookgraph' }, redact: { paths: REDACT, censor: '[redacted]' } });
}
