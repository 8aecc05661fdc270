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

/**
 * `--status FAILED,cancelled`: a commander parser for statuses among `all`, in any case,
 * comma-separated and repeatable.
 */
export function parseStatuses<T extends string>(all: readonly T[]): (text: string, earlier?: T[]) => T[] {
  return (text, earlier = []) => {
    const statuses = text.split(',').map((s) => s.trim().toUpperCase() as T);
    const unknown = statuses.filter((s) => !all.includes(s));
    if (unknown.length) throw usageError(`--status must be among ${all.join(', ')}; got ${unknown.join(', ')}`);
    return [...earlier, ...statuses];
  };
}

/** `--limit`: a whole number from 1 to 10,000. */
export function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw usageError(`--limit must be a whole number from 1 to 10000, got ${text}`);
  return n;
}

const AGO_UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A moment: an ISO 8601 time (`2026-12-07T09:00:00Z`), or how long ago (`90m`, `6h`, `7d`). */
export function parseWhen(name: string, text: string): Date {
  const ago = /^(\d+)([mhd])$/.exec(text.trim());
  if (ago) return new Date(Date.now() - Number(ago[1]) * AGO_UNITS_MS[ago[2]!]!);
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at.getTime())) {
    throw usageError(`${name} must be an ISO time (2026-12-07T09:00:00Z) or how long ago (90m, 6h, 7d), got ${text}`);
  }
  return at;
}
