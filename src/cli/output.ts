import type { UserErrorFieldsFragment } from '@hookgraph/client';
import { Option } from 'commander';
import { CliError, ExitCode, usageError } from './exit-codes';

export const jsonOption = () => new Option('--json', 'print JSON instead of text');

/** One JSON document (or, for a stream, one line) on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Rows as aligned columns under a header; `-` for an empty cell. */
export function printTable(header: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = [header, ...rows.map((row) => row.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  for (const row of cells) process.stdout.write(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ') + '\n');
}

export function formatUserError(e: UserErrorFieldsFragment): string {
  return `${e.field?.length ? `${e.field.join('.')}: ` : ''}${e.message} (${e.code})`;
}

/** A payload's userErrors end the command with exit code 1 and one line each on stderr. */
export function refuseOnUserErrors(userErrors: readonly UserErrorFieldsFragment[]): void {
  if (userErrors.length) throw new CliError(userErrors.map(formatUserError).join('\n'), ExitCode.FAILURE);
}

/** `--data` as JSON, or a usage error saying why not. */
export function parseJsonOption(name: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw usageError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/** `--limit`: a whole number from 1 to 10,000. */
export function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw usageError(`--limit must be a whole number from 1 to 10000, got ${text}`);
  return n;
}
