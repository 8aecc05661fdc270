import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, rows: number): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr, only when stderr is a terminal (a pipe or a file gets nothing).
 * `total` is in the unit of `done` (bytes of a file); without it only the rows are counted.
 */
export function startProgress(label: string, total: number | null): Progress {
  if (!process.stderr.isTTY) return silent;
  const format = total ? `${label} [{bar}] {percentage}% | {rows} rows` : `${label} {rows} rows`;
  const bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false });
  bar.start(total ?? 1, 0, { rows: 0 });
  return {
    update: (done, rows) => bar.update(total ? Math.min(done, total) : 0, { rows }),
    stop: () => bar.stop(),
  };
}
